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
 * excluded: the vendors' public APIs the agent knows (trace headers mean nothing to them and
 * would only tell them about the application's internals), the hosts configured as a vendor's
 * ({@code voicetrace.deepgram.hosts} and the like), Langfuse, and {@code voicetrace.propagation.exclude}.
 */
public final class PropagationHosts implements TracePropagation.HostFilter {

    /** The public APIs of the vendors whose clients the agent traces. */
    static final List<String> VENDOR_APIS = Collections.unmodifiableList(Arrays.asList(
            "api.openai.com", "*.openai.com", "*.openai.azure.com", "api.anthropic.com",
            "generativelanguage.googleapis.com", "*.googleapis.com", "*.amazonaws.com",
            "api.deepgram.com", "api.elevenlabs.io", "*.elevenlabs.io", "api.assemblyai.com",
            "*.assemblyai.com", "cloud.langfuse.com", "*.langfuse.com"));

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
        HostPatterns excluded = new HostPatterns().addAll(VENDOR_APIS);
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
