package dev.voicetrace.agent.assemblyai;

import dev.voicetrace.agent.http.SpeechWire;
import static dev.voicetrace.agent.json.WireFields.copyParameters;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;
import static dev.voicetrace.agent.http.SpeechWire.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.model.StageRecord;

/**
 * Maps AssemblyAI's pre-recorded transcription REST API onto a {@link StageRecord}: the request
 * of {@code POST /v2/transcript} that creates a transcript, and the transcript that a
 * {@code GET /v2/transcript/{id}} returns once its status is {@code completed} (or
 * {@code error}). Pure functions of JSON.
 */
public final class AssemblyAiWireMapper {

    private static final String[] PARAMETERS = {
        "speech_model", "language_code", "language_detection", "punctuate", "format_text", "speaker_labels",
        "disfluencies", "multichannel"
    };

    static final String DEFAULT_MODEL = "universal";

    private AssemblyAiWireMapper() {}

    /** The transcript's status: queued, processing, completed or error; null when absent. */
    public static String status(JsonNode transcript) {
        return text(transcript, "status");
    }

    public static String id(JsonNode transcript) {
        return text(transcript, "id");
    }

    public static void createRequest(JsonNode body, StageRecord record) {
        record.model = text(body, "speech_model");
        copyParameters(body, PARAMETERS, record);
        record.modelParameters.remove("speech_model");
        ObjectNode audio = JSON.objectNode();
        audio.put("url", text(body, "audio_url"));
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        if (text(body, "language_code") != null) {
            input.put("language", text(body, "language_code"));
        }
        record.input = input;
        putMetadata(record, "language", text(body, "language_code"));
    }

    /** A finished transcript: its text, confidence, language, duration; or its error. */
    public static void transcript(JsonNode transcript, StageRecord record) {
        if (record.model == null) {
            String model = text(transcript, "speech_model");
            // AssemblyAI transcribes with its universal model when the request names none.
            record.model = model != null ? model : DEFAULT_MODEL;
        }
        putMetadata(record, "transcript_id", id(transcript));
        if ("error".equals(status(transcript))) {
            String error = text(transcript, "error");
            record.error = "transcript error" + (error == null ? "" : ": " + error);
            return;
        }
        String text = text(transcript, "text");
        ObjectNode output = JSON.objectNode();
        output.put("text", text);
        if (transcript.path("confidence").isNumber()) {
            output.set("confidence", transcript.get("confidence"));
        }
        String language = text(transcript, "language_code");
        if (language != null) {
            output.put("language", language);
        }
        if (transcript.path("audio_duration").isNumber()) {
            output.set("duration", transcript.get("audio_duration"));
            SpeechWire.audioSecondsUsage(transcript.get("audio_duration").asDouble(), record);
            SpeechWire.inputDuration(transcript.get("audio_duration"), record);
        }
        if (transcript.path("words").isArray()) {
            output.put("words", transcript.get("words").size());
        }
        record.output = output;
        record.outputText = text;
        putMetadata(record, "detected_language", language);
    }
}
