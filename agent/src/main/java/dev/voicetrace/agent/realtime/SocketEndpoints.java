package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.http.HttpEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which sockets are a vendor's, by host (and port) and path. Hosts are {@code host},
 * {@code host:port} or {@code *.domain} (any subdomain, e.g. Azure OpenAI resources). A socket to
 * any other host costs one hash lookup (and a suffix check per wildcard entry) when it opens.
 */
public final class SocketEndpoints {

    private static final class Rule {
        final int port;
        final SocketProtocol protocol;

        Rule(int port, SocketProtocol protocol) {
            this.port = port;
            this.protocol = protocol;
        }
    }

    private final Map<String, List<Rule>> hosts = new HashMap<>();
    /** Wildcard entries: the suffix including its dot ({@code .openai.azure.com}). */
    private final Map<String, List<Rule>> suffixes = new HashMap<>();

    /** Serves {@code protocol} on every entry of a comma-separated host list ({@code none} for none). */
    public SocketEndpoints add(String hostList, SocketProtocol protocol) {
        for (String entry : HttpEndpoints.hostList(hostList)) {
            String host = entry.trim().toLowerCase(Locale.ROOT);
            int port = -1;
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(':') == colon) {
                try {
                    port = Integer.parseInt(host.substring(colon + 1));
                    host = host.substring(0, colon);
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if (host.startsWith("*.") && host.length() > 2) {
                suffixes.computeIfAbsent(host.substring(1), h -> new ArrayList<>()).add(new Rule(port, protocol));
            } else if (!host.isEmpty()) {
                hosts.computeIfAbsent(host, h -> new ArrayList<>()).add(new Rule(port, protocol));
            }
        }
        return this;
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && suffixes.isEmpty();
    }

    /**
     * The protocol of a socket opened to this host, port (-1 when the URI names none) and raw
     * path, or null.
     */
    public SocketProtocol match(String host, int port, String path) {
        if (host == null || path == null) {
            return null;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        SocketProtocol found = match(hosts.get(lower), port, path);
        if (found != null || suffixes.isEmpty()) {
            return found;
        }
        for (Map.Entry<String, List<Rule>> entry : suffixes.entrySet()) {
            if (lower.endsWith(entry.getKey())) {
                found = match(entry.getValue(), port, path);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static SocketProtocol match(List<Rule> rules, int port, String path) {
        if (rules == null) {
            return null;
        }
        for (Rule rule : rules) {
            if ((rule.port == -1 || rule.port == port) && rule.protocol.matchesPath(path)) {
                return rule.protocol;
            }
        }
        return null;
    }
}
