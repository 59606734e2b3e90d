package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.OperationSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which HTTP calls are provider API calls, by host (and port) and path. A call to any other host
 * costs one hash lookup. Hosts are given as {@code host} (any port) or {@code host:port}.
 */
public final class HttpEndpoints {

    /** Recognises one provider's API paths on the hosts it is served from. */
    public interface PathRules {
        /** The operation for this method and raw path, or null. */
        OperationSpec match(String method, String path);
    }

    private static final class HostRule {
        final int port;
        final PathRules rules;

        HostRule(int port, PathRules rules) {
            this.port = port;
            this.rules = rules;
        }
    }

    private final Map<String, List<HostRule>> hosts = new HashMap<>();

    /** Serves {@code rules} on every entry of {@code hostList} ({@code host} or {@code host:port}). */
    public HttpEndpoints add(List<String> hostList, PathRules rules) {
        for (String entry : hostList) {
            String host = entry.trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
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
            hosts.computeIfAbsent(host, h -> new ArrayList<>()).add(new HostRule(port, rules));
        }
        return this;
    }

    public boolean isEmpty() {
        return hosts.isEmpty();
    }

    /** Whether any provider is served from {@code host}: the one lookup a call to another host costs. */
    public boolean servesHost(String host) {
        if (host == null) {
            return false;
        }
        if (hosts.containsKey(host)) {
            return true;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        return lower != host && hosts.containsKey(lower);
    }

    /**
     * The operation of a call, or null.
     *
     * @param port the URI's port, -1 when it names none
     */
    public OperationSpec match(String host, int port, String method, String path) {
        if (host == null) {
            return null;
        }
        List<HostRule> rules = hosts.get(host);
        if (rules == null) {
            String lower = host.toLowerCase(Locale.ROOT);
            // toLowerCase returns the same string when there is nothing to change: no second lookup then
            rules = lower == host ? null : hosts.get(lower);
            if (rules == null) {
                return null;
            }
        }
        if (path == null || method == null) {
            return null;
        }
        for (HostRule rule : rules) {
            if (rule.port == -1 || rule.port == port) {
                OperationSpec spec = rule.rules.match(method, path);
                if (spec != null) {
                    return spec;
                }
            }
        }
        return null;
    }

    /** A comma-separated host list, e.g. {@code api.deepgram.com,127.0.0.1:8080}; {@code none} for no host. */
    public static List<String> hostList(String value) {
        if (value == null || value.trim().isEmpty() || value.trim().equalsIgnoreCase("none")) {
            return Collections.emptyList();
        }
        List<String> list = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.trim().isEmpty()) {
                list.add(part.trim());
            }
        }
        return list;
    }
}
