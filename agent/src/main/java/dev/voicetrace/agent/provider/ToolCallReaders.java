package dev.voicetrace.agent.provider;

import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.HashMap;
import java.util.Map;

/**
 * Which reader understands a provider's recorded model calls, as the providers declare
 * ({@link Provider#toolCallReaders()}); read once, on first use, on the processing thread.
 */
public final class ToolCallReaders {

    private static volatile Map<String, ToolCallReader> readers;

    private ToolCallReaders() {}

    /** The reader of records whose {@code provider} is this, or null for providers without tool calls. */
    public static ToolCallReader forProvider(String provider) {
        return provider == null ? null : all().get(provider);
    }

    private static Map<String, ToolCallReader> all() {
        Map<String, ToolCallReader> known = readers;
        if (known == null) {
            known = new HashMap<>();
            for (Provider provider : Providers.load(error -> {})) {
                known.putAll(provider.toolCallReaders());
            }
            readers = known;
        }
        return known;
    }
}
