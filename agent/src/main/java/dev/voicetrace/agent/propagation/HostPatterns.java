package dev.voicetrace.agent.propagation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A list of hosts: {@code host}, {@code host:port}, {@code *.domain} (any subdomain) or {@code *}
 * (any host). Matched on the application's thread for every outgoing request that has a turn in
 * its context, against lists that hold every vendor's API hosts: a host is looked up, not
 * compared with each entry in turn, and only the few domain entries are scanned.
 */
final class HostPatterns {

    /** The ports each named host is listed with; -1 for any port. */
    private final Map<String, int[]> exact = new HashMap<>();
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
            int[] ports = exact.get(host);
            if (ports == null) {
                exact.put(host, new int[] {port});
            } else {
                int[] more = Arrays.copyOf(ports, ports.length + 1);
                more[ports.length] = port;
                exact.put(host, more);
            }
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
        String name = isLowerCase(host) ? host : host.toLowerCase(Locale.ROOT);
        int[] ports = exact.get(name);
        if (ports != null) {
            for (int wanted : ports) {
                if (wanted == -1 || wanted == port) {
                    return true;
                }
            }
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code host} has no character {@code toLowerCase} could change. An HTTP client's
     * hosts nearly always are lower case already; this check keeps the conversion, which the JIT
     * would otherwise compile into every request's lookup, off that path.
     */
    private static boolean isLowerCase(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
