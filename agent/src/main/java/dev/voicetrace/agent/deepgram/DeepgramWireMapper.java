package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.http.SpeechWire;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;
import static dev.voicetrace.agent.http.SpeechWire.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Deepgram's REST API (pre-recorded {@code POST /v1/listen}, text-to-speech
 * {@code POST /v1/speak}) onto a {@link StageRecord}: the request's query options, the uploaded
 * audio's metadata and the documented response JSON. Pure functions of their inputs.
 */
public final class DeepgramWireMapper {

    /** Query options of /v1/listen shown as model parameters. */
    private static final String[] LISTEN_PARAMETERS = {
        "language", "detect_language", "smart_format", "punctuate", "diarize", "utterances", "paragraphs",
        "numerals", "profanity_filter", "multichannel", "filler_words", "keyterm", "encoding", "sample_rate",
        "channels"
    };
    private static final String[] SPEAK_PARAMETERS = {"encoding", "container", "sample_rate", "bit_rate"};

    private DeepgramWireMapper() {}

    /**
     * A pre-recorded transcription request: audio in the body (its content type and size), or a
     * JSON body naming a URL.
     *
     * @param audioBytes the request body's size, -1 when unknown
     * @param jsonBody the request body when it is JSON ({@code {"url": ...}}), else null
     */
    public static void listenRequest(Map<String, String> query, String contentType, long audioBytes,
                                     JsonNode jsonBody, StageRecord record) {
        record.model = query.get("model");
        SpeechWire.queryParameters(query, LISTEN_PARAMETERS, record);
        ObjectNode audio = JSON.objectNode();
        if (jsonBody != null && text(jsonBody, "url") != null) {
            audio.put("url", text(jsonBody, "url"));
        } else {
            audio.put("content_type", contentType);
            audio.put("format", SpeechWire.formatOf(contentType));
            if (audioBytes >= 0) {
                audio.put("bytes", audioBytes);
                putMetadata(record, "audio_bytes", Long.toString(audioBytes));
            }
        }
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        if (query.containsKey("language")) {
            input.put("language", query.get("language"));
        }
        record.input = input;
        putMetadata(record, "language", query.get("language"));
    }

    /** The transcription response: transcripts per channel, confidence, detected language, duration. */
    public static void listenResponse(JsonNode response, StageRecord record) {
        JsonNode metadata = response.path("metadata");
        if (record.model == null) {
            record.model = modelOf(metadata);
        }
        JsonNode channels = response.path("results").path("channels");
        StringBuilder text = new StringBuilder();
        JsonNode confidence = null;
        String language = null;
        for (JsonNode channel : channels) {
            JsonNode best = channel.path("alternatives").path(0);
            String transcript = text(best, "transcript");
            if (transcript != null && !transcript.isEmpty()) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(transcript);
            }
            if (confidence == null && best.path("confidence").isNumber()) {
                confidence = best.get("confidence");
            }
            if (language == null) {
                language = text(channel, "detected_language");
            }
        }
        ObjectNode output = JSON.objectNode();
        output.put("text", text.toString());
        if (confidence != null) {
            output.set("confidence", confidence);
        }
        if (language != null) {
            output.put("language", language);
        }
        if (metadata.path("duration").isNumber()) {
            output.set("duration", metadata.get("duration"));
            SpeechWire.audioSecondsUsage(metadata.get("duration").asDouble(), record);
            SpeechWire.inputDuration(metadata.get("duration"), record);
        }
        if (channels.size() > 1) {
            output.put("channels", channels.size());
        }
        record.output = output;
        record.outputText = text.toString();
        putMetadata(record, "detected_language", language);
        putMetadata(record, "request_id", text(metadata, "request_id"));
    }

    /** The model's architecture ({@code nova-3}) from {@code metadata.model_info} of the first model used. */
    private static String modelOf(JsonNode metadata) {
        String id = metadata.path("models").path(0).asText(null);
        JsonNode info = id == null ? null : metadata.path("model_info").get(id);
        if (info == null) {
            return null;
        }
        String arch = text(info, "arch");
        return arch != null ? arch : text(info, "name");
    }

    /** A text-to-speech request: the model (which names the voice) and the audio options in the query, the text in the body. */
    public static void speakRequest(Map<String, String> query, JsonNode body, StageRecord record) {
        record.model = query.get("model");
        SpeechWire.queryParameters(query, SPEAK_PARAMETERS, record);
        String text = text(body, "text");
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        String voice = voiceOf(record.model);
        if (voice != null) {
            input.put("voice", voice);
        }
        record.input = input;
        record.inputText = text;
        SpeechWire.characterUsage(SpeechWire.characters(text), record);
        putMetadata(record, "voice", voice);
        putMetadata(record, "format", formatOf(query));
    }

    /**
     * The audio the application received.
     *
     * @param modelHeader the {@code dg-model-name} response header, or null
     * @param charCountHeader the {@code dg-char-count} response header (characters billed), or null
     */
    public static void speakResponse(Map<String, String> query, long bytes, String contentType, String modelHeader,
                                     String charCountHeader, boolean interrupted, StageRecord record) {
        if (record.model == null && modelHeader != null) {
            record.model = modelHeader;
            String voice = voiceOf(modelHeader);
            putMetadata(record, "voice", voice);
            if (record.input instanceof ObjectNode && voice != null) {
                ((ObjectNode) record.input).put("voice", voice);
            }
        }
        if (charCountHeader != null && charCountHeader.trim().matches("\\d{1,12}")) {
            SpeechWire.characterUsage(Long.parseLong(charCountHeader.trim()), record);
        }
        String encoding = query.getOrDefault("encoding", "mp3").toLowerCase(Locale.ROOT);
        double bytesPerSecond = 0;
        int header = 0;
        if ("linear16".equals(encoding) || "mulaw".equals(encoding) || "alaw".equals(encoding)) {
            int defaultRate = "linear16".equals(encoding) ? 24_000 : 8_000;
            int rate = parseInt(query.get("sample_rate"), defaultRate);
            bytesPerSecond = rate * ("linear16".equals(encoding) ? 2.0 : 1.0);
            header = "none".equalsIgnoreCase(query.get("container")) ? 0 : 44;
        }
        SpeechWire.audioOutput(bytes, contentType, bytesPerSecond, header, interrupted, record);
    }

    /** {@code aura-2-thalia-en} -> {@code thalia}; {@code aura-asteria-en} -> {@code asteria}. */
    public static String voiceOf(String model) {
        if (model == null || !model.startsWith("aura-")) {
            return null;
        }
        String rest = model.substring("aura-".length());
        if (rest.matches("\\d+-.*")) {
            rest = rest.substring(rest.indexOf('-') + 1);
        }
        int dash = rest.lastIndexOf('-');
        return dash > 0 ? rest.substring(0, dash) : rest;
    }

    private static String formatOf(Map<String, String> query) {
        String encoding = query.getOrDefault("encoding", "mp3").toLowerCase(Locale.ROOT);
        String container = query.get("container");
        if ("linear16".equals(encoding) || "mulaw".equals(encoding) || "alaw".equals(encoding)) {
            return "none".equalsIgnoreCase(container) ? encoding : "wav";
        }
        return container != null && !"none".equalsIgnoreCase(container) ? container : encoding;
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
