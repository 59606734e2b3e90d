package dev.voicetrace.agent.json;

import dev.voicetrace.agent.model.StageRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field reads and copies that every provider's wire mapper needs when it fills a
 * {@link StageRecord} from the provider's JSON.
 */
public final class WireFields {

    private WireFields() {}

    /** A scalar field as text; null when absent, null or not a scalar. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    /** Copies the named request fields that are present into the record's model parameters. */
    public static void copyParameters(JsonNode body, String[] names, StageRecord record) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isNumber()) {
                record.modelParameters.put(name, value.numberValue());
            } else if (value.isBoolean()) {
                record.modelParameters.put(name, value.asBoolean());
            } else if (value.isTextual()) {
                record.modelParameters.put(name, value.asText());
            } else {
                record.modelParameters.put(name, Json.write(value));
            }
        }
    }

    public static void copyIfPresent(JsonNode from, ObjectNode to, String name) {
        JsonNode value = from.get(name);
        if (value != null && !value.isNull()) {
            to.set(name, value);
        }
    }

    /** A usage count, when the field holds a whole number. */
    public static void putUsage(StageRecord record, String key, JsonNode value) {
        if (value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.floor(value.asDouble()))) {
            record.usage.put(key, value.asLong());
        }
    }

    /**
     * A speech call's output: the audio bytes the application received (never the audio itself),
     * its duration when the provider's format lets it be computed ({@code seconds} 0 otherwise),
     * and whether the application stopped reading early. Returns the output for provider fields.
     */
    public static ObjectNode audioOutput(StageRecord record, long bytes, double seconds, boolean interrupted) {
        ObjectNode output = Json.NODES.objectNode();
        long received = Math.max(bytes, 0);
        output.put("audio_bytes", received);
        if (seconds > 0) {
            output.put("duration_seconds", Math.round(seconds * 1000) / 1000.0);
            record.audioSeconds = seconds;
        }
        if (interrupted) {
            output.put("interrupted", true);
        }
        record.output = output;
        putMetadata(record, "audio_bytes", Long.toString(received));
        return output;
    }

    /**
     * The audio time a provider bills for a transcription, in whole milliseconds: metadata, not
     * usage, because Langfuse adds every usage key into its token totals and keeps only integers.
     */
    public static void billedAudio(StageRecord record, double seconds) {
        if (seconds > 0 && Double.isFinite(seconds)) {
            record.metadata.put("billed_audio_ms", Long.toString(Math.round(seconds * 1000)));
        }
    }

    public static void putMetadata(StageRecord record, String key, String value) {
        if (value != null) {
            record.metadata.put(key, value);
        }
    }
}
