package dev.voicetrace.agent.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of hosts: {@code host}, {@code host:port}, {@code *.domain} (any subdomain) or {@code *}
 * (any host). Matching is a scan of a short list, done once per outgoing request that has a
 * turn in its context.
 */
final class HostPatterns {

    private final List<String> exact = new ArrayList<>();
    private final List<Integer> exactPorts = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private boolean any;

    HostPatterns add(String entry) {
        String host = entry.trim().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return this;
        }
        if (host.equals("*")) {
            any = true;
            return this;
        }
        int port = -1;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
                host = host.substring(0, colon);
            } catch (NumberFormatException e) {
                return this;
            }
            if (port < 0 || port > 65_535) {
                return this; // not a port: the entry names nothing rather than every port
            }
        }
        if (host.startsWith("*.") && host.length() > 2) {
            suffixes.add(host.substring(1));
        } else {
            exact.add(host);
            exactPorts.add(port);
        }
        return this;
    }

    HostPatterns addAll(List<String> entries) {
        for (String entry : entries) {
            add(entry);
        }
        return this;
    }

    boolean isEmpty() {
        return !any && exact.isEmpty() && suffixes.isEmpty();
    }

    /** Whether {@code host} (any case) and {@code port} (-1 when the URL names none) are on the list. */
    boolean matches(String host, int port) {
        if (any) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < exact.size(); i++) {
            int wanted = exactPorts.get(i);
            if (exact.get(i).equals(name) && (wanted == -1 || wanted == port)) {
                return true;
            }
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
