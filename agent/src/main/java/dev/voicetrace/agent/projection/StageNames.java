package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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

    /** The observation's metadata: the record's own, plus where it sits in the pipeline. */
    static Map<String, String> metadata(LinkedObservation observation) {
        StageRecord record = observation.record;
        Map<String, String> metadata = new TreeMap<>(record.metadata);
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
        return metadata;
    }

}
