package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Names and metadata shared by both wire formats, so that they show the same thing (their
 * timestamps are {@code EpochClock.iso}'s).
 */
final class StageNames {

    static final String TURN_NAME = "voice-turn";

    private StageNames() {}

    /** For example {@code llm openai.chat.completions}; a tool by its name, {@code tool get_weather}. */
    static String observationName(StageRecord record) {
        if (record.kind == StageKind.TOOL) {
            return "tool " + record.metadata.getOrDefault("tool_name", "unknown");
        }
        String operation = record.operation == null ? "call" : record.operation;
        if (operation.endsWith(".create")) {
            operation = operation.substring(0, operation.length() - ".create".length());
        }
        return record.kind.name().toLowerCase(Locale.ROOT) + ' ' + record.provider + '.' + operation;
    }

    /**
     * The observation's metadata, given to {@code action} in the order of their keys: the record's
     * own, plus where it sits in the pipeline.
     */
    static void metadata(LinkedObservation observation, BiConsumer<String, String> action) {
        StageRecord record = observation.record;
        SortedFields metadata = new SortedFields(record.metadata.size() + observation.linkFacts.size() + 8);
        metadata.putAll(record.metadata);
        metadata.putAll(observation.linkFacts);
        metadata.put("stage", record.kind.name().toLowerCase(Locale.ROOT));
        metadata.put("provider", record.provider);
        metadata.put("operation", record.operation);
        metadata.put("streaming", Boolean.toString(record.streaming));
        metadata.put("turn_index", Integer.toString(observation.turn.index));
        if (observation.linkedFromSpanId != null) {
            metadata.put("linked_from", observation.linkedFromSpanId);
            metadata.put("linked_by", observation.linkedBy);
            // Upstream of a model call is a transcript; upstream of speech is a model reply.
            metadata.put(record.kind == StageKind.TTS || record.kind == StageKind.TOOL ? "from_llm" : "from_stt",
                    observation.linkedFromSpanId);
        }
        metadata.forEach(action);
    }

    /**
     * Keys and their values in two arrays kept in the keys' order, a later value of a key replacing
     * the earlier: a sorted map's order for the dozen fields of every observation, without an
     * object per field.
     */
    private static final class SortedFields {
        private final String[] keys;
        private final String[] values;
        private int size;

        SortedFields(int capacity) {
            keys = new String[capacity];
            values = new String[capacity];
        }

        void putAll(Map<String, String> fields) {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                put(field.getKey(), field.getValue());
            }
        }

        void put(String key, String value) {
            int at = Arrays.binarySearch(keys, 0, size, key);
            if (at >= 0) {
                values[at] = value;
                return;
            }
            at = -at - 1;
            System.arraycopy(keys, at, keys, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            keys[at] = key;
            values[at] = value;
            size++;
        }

        void forEach(BiConsumer<String, String> action) {
            for (int i = 0; i < size; i++) {
                action.accept(keys[i], values[i]);
            }
        }
    }
}
