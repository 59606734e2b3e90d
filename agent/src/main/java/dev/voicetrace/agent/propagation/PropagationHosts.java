package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.config.OptionReader;
import dev.voicetrace.bootstrap.TracePropagation;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which hosts outgoing requests carry trace context to: those on the allow-list
 * ({@code voicetrace.propagation.hosts}, every host by default) that are not excluded. Always
 * excluded: the vendors' public APIs (each provider names its own, see
 * {@code Provider.publicApiHosts}), the hosts configured as a vendor's ({@code voicetrace.deepgram.hosts}
 * and the like), Langfuse, and {@code voicetrace.propagation.exclude}.
 */
public final class PropagationHosts implements TracePropagation.HostFilter {

    /** Langfuse Cloud, beside the configured Langfuse host (the vendors' APIs are the providers' to name). */
    static final List<String> LANGFUSE_CLOUD = Collections.unmodifiableList(Arrays.asList(
            "cloud.langfuse.com", "*.langfuse.com"));

    private final HostPatterns allowed;
    private final HostPatterns excluded;

    PropagationHosts(HostPatterns allowed, HostPatterns excluded) {
        this.allowed = allowed;
        this.excluded = excluded;
    }

    /**
     * @param allowList comma-separated allow-list ({@code *} for every host)
     * @param exclusions comma-separated hosts never to send to, beside the built-in ones
     * @param knownHosts further host lists that are vendors' or the agent's own (comma-separated, may be null)
     */
    public static PropagationHosts of(String allowList, String exclusions, String... knownHosts) {
        HostPatterns excluded = new HostPatterns().addAll(LANGFUSE_CLOUD);
        if (exclusions != null) {
            excluded.addAll(OptionReader.split(exclusions));
        }
        for (String list : knownHosts) {
            if (list != null && !list.trim().equalsIgnoreCase("none")) {
                excluded.addAll(OptionReader.split(list));
            }
        }
        return new PropagationHosts(new HostPatterns().addAll(OptionReader.split(allowList == null ? "*" : allowList)),
                excluded);
    }

    /** The {@code host:port} of a URL such as Langfuse's, for the exclusions; null when it cannot be read. */
    public static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return null;
            }
            return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean allows(String host, int port) {
        return allowed.matches(host, port) && !excluded.matches(host, port);
    }
}
