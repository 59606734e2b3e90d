package dev.voicetrace.agent.projection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attribute keys made of a fixed prefix and a name from data (a metadata entry, a latency), made
 * once per name: a key concatenated for every span is a new string, hashed again where the span
 * writer looks up the key's encoded form. Names repeat span after span (the same few metadata
 * entries), so a bounded cache holds them all; past the bound a key is concatenated each time.
 */
final class AttributeKeys {

    private static final int MAX_NAMES_PER_PREFIX = 512;
    private static final Map<String, Map<String, String>> BY_PREFIX = new ConcurrentHashMap<>();

    private AttributeKeys() {}

    static String prefixed(String prefix, String name) {
        Map<String, String> keys = BY_PREFIX.get(prefix);
        if (keys == null) {
            keys = BY_PREFIX.computeIfAbsent(prefix, unused -> new ConcurrentHashMap<>());
        }
        String key = keys.get(name);
        if (key == null) {
            key = prefix + name;
            if (keys.size() < MAX_NAMES_PER_PREFIX) {
                keys.putIfAbsent(name, key);
            }
        }
        return key;
    }
}
