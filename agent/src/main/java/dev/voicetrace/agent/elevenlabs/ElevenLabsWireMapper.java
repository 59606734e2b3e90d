package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.http.SpeechWire;
import static dev.voicetrace.agent.json.WireFields.copyIfPresent;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;
import static dev.voicetrace.agent.http.SpeechWire.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Locale;
import java.util.Map;

/**
 * Maps ElevenLabs' text-to-speech REST API ({@code POST /v1/text-to-speech/{voice_id}} and its
 * {@code /stream} form) onto a {@link StageRecord}. Pure functions of their inputs.
 */
public final class ElevenLabsWireMapper {

    /** The model ElevenLabs uses when the request names none. */
    static final String DEFAULT_MODEL = "eleven_multilingual_v2";
    /** The output format ElevenLabs uses when the request names none. */
    static final String DEFAULT_FORMAT = "mp3_44100_128";

    private ElevenLabsWireMapper() {}

    public static void speechRequest(String voiceId, Map<String, String> query, JsonNode body, StageRecord record) {
        String model = text(body, "model_id");
        record.model = model != null ? model : DEFAULT_MODEL;
        String format = query.getOrDefault("output_format", DEFAULT_FORMAT);
        record.modelParameters.put("output_format", format);
        SpeechWire.queryParameters(query, new String[] {"optimize_streaming_latency"}, record);
        JsonNode settings = body.path("voice_settings");
        if (settings.isObject()) {
            settings.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber()) {
                    record.modelParameters.put(field.getKey(), field.getValue().numberValue());
                } else if (field.getValue().isBoolean()) {
                    record.modelParameters.put(field.getKey(), field.getValue().asBoolean());
                }
            });
        }
        if (body.path("seed").isNumber()) {
            record.modelParameters.put("seed", body.get("seed").numberValue());
        }
        String text = text(body, "text");
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        input.put("voice_id", voiceId);
        copyIfPresent(body, input, "language_code");
        copyIfPresent(body, input, "voice_settings");
        record.input = input;
        record.inputText = text;
        SpeechWire.characterUsage(SpeechWire.characters(text), record);
        putMetadata(record, "voice", voiceId);
        putMetadata(record, "format", format);
    }

    /**
     * The audio the application received.
     *
     * @param characterCostHeader the {@code character-cost} response header (characters billed), or null
     */
    public static void speechResponse(long bytes, String contentType, String characterCostHeader, boolean interrupted,
                                      StageRecord record) {
        if (characterCostHeader != null && characterCostHeader.trim().matches("\\d{1,12}")) {
            SpeechWire.characterUsage(Long.parseLong(characterCostHeader.trim()), record);
        }
        String format = record.metadata.getOrDefault("format", DEFAULT_FORMAT).toLowerCase(Locale.ROOT);
        double bytesPerSecond = 0;
        int header = 0;
        int rate = rateOf(format);
        if (format.startsWith("pcm_") || format.startsWith("wav_")) {
            bytesPerSecond = rate * 2.0;
            header = format.startsWith("wav_") ? 44 : 0;
        } else if (format.startsWith("ulaw_") || format.startsWith("alaw_")) {
            bytesPerSecond = rate;
        }
        SpeechWire.audioOutput(bytes, contentType, rate > 0 ? bytesPerSecond : 0, header, interrupted, record);
    }

    /** The sample rate of an output format such as {@code pcm_24000} or {@code mp3_44100_128}; 0 when none. */
    private static int rateOf(String format) {
        String[] parts = format.split("_");
        if (parts.length < 2) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
