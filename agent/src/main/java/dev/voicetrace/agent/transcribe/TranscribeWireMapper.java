package dev.voicetrace.agent.transcribe;

import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.json.WireFields;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Amazon Transcribe streaming ({@code StartStreamTranscription}) onto a {@link StageRecord}:
 * the request's HTTP/2 headers ({@code x-amzn-transcribe-language-code},
 * {@code x-amzn-transcribe-media-encoding}, {@code x-amzn-transcribe-sample-rate}, ...), the
 * response's headers ({@code x-amzn-request-id}, {@code x-amzn-transcribe-session-id}) and the
 * {@code TranscriptEvent}s of the result stream, in their documented JSON shape
 * ({@code {"Transcript":{"Results":[{"Alternatives":[{"Transcript":..,"Items":[..]}],
 * "IsPartial":..,"StartTime":..,"EndTime":..}]}}}). Pure functions.
 *
 * <p>The model is {@value #MODEL}, which is what the service prices by.
 */
public final class TranscribeWireMapper {

    public static final String MODEL = "aws-transcribe-streaming";
    static final String HEADER_PREFIX = "x-amzn-transcribe-";
    /** Transcribe bills a request for at least this many seconds of audio. */
    static final int MINIMUM_BILLED_SECONDS = 15;

    private static final JsonNodeFactory JSON = Json.NODES;

    private TranscribeWireMapper() {}

    /**
     * The request headers and the audio the application streamed (never the audio itself). Every
     * {@code x-amzn-transcribe-*} setting but the session id is a model parameter, named without
     * the prefix and with underscores ({@code vocabulary_name}, {@code partial_results_stability}).
     *
     * @param audioBytes audio bytes sent in {@code AudioEvent}s, -1 when unknown
     */
    public static void request(JsonNode headers, long audioBytes, StageRecord record) {
        record.model = MODEL;
        for (Iterator<Map.Entry<String, JsonNode>> fields = headers.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            JsonNode value = field.getValue();
            if (!name.startsWith(HEADER_PREFIX) || name.equals(HEADER_PREFIX + "session-id") || value.isNull()) {
                continue;
            }
            String parameter = name.substring(HEADER_PREFIX.length()).replace('-', '_');
            if (value.isBoolean()) {
                record.modelParameters.put(parameter, value.asBoolean());
            } else if (value.isNumber()) {
                record.modelParameters.put(parameter, value.numberValue());
            } else {
                record.modelParameters.put(parameter, value.asText());
            }
        }
        String language = text(headers, HEADER_PREFIX + "language-code");
        String encoding = text(headers, HEADER_PREFIX + "media-encoding");
        long rate = headers.path(HEADER_PREFIX + "sample-rate").asLong(0);
        long channels = Math.max(1, headers.path(HEADER_PREFIX + "number-of-channels").asLong(1));

        ObjectNode input = JSON.objectNode();
        ObjectNode audio = input.putObject("audio");
        audio.put("encoding", encoding);
        if (rate > 0) {
            audio.put("sample_rate_hertz", rate);
        }
        if (channels > 1) {
            audio.put("channels", channels);
        }
        if (audioBytes >= 0) {
            audio.put("bytes", audioBytes);
            putMetadata(record, "audio_bytes", Long.toString(audioBytes));
        }
        double seconds = pcmSeconds(encoding, audioBytes, rate, channels);
        if (seconds > 0) {
            audio.put("duration_seconds", round(seconds));
            record.audioSeconds = seconds;
        }
        if (language != null) {
            input.put("language", language);
        }
        if (headers.path(HEADER_PREFIX + "identify-language").asBoolean(false)
                || headers.path(HEADER_PREFIX + "identify-multiple-languages").asBoolean(false)) {
            input.put("identify_language", true);
            String options = text(headers, HEADER_PREFIX + "language-options");
            if (options != null) {
                input.put("language_options", options);
            }
        }
        record.input = input;
        putMetadata(record, "language", language);
        putMetadata(record, "encoding", encoding);
        putMetadata(record, "session_id", text(headers, HEADER_PREFIX + "session-id"));
    }

    /** The initial response's headers: the service's request and session ids. */
    public static void response(JsonNode headers, StageRecord record) {
        if (headers == null) {
            return;
        }
        putMetadata(record, "request_id", text(headers, "x-amzn-request-id"));
        putMetadata(record, "session_id", text(headers, HEADER_PREFIX + "session-id"));
    }

    /**
     * The {@code TranscriptEvent}s: partial results ({@code IsPartial} true) are counted, the
     * final results' first alternatives, joined, make the transcript. The mean confidence of
     * the final results' words and the language the service identified are kept when present.
     *
     * @return the index of the first event that carried a transcript (the first result), or -1
     */
    public static int transcriptEvents(List<JsonNode> events, StageRecord record) {
        StringBuilder transcript = new StringBuilder();
        double confidenceSum = 0;
        int confident = 0;
        int partial = 0;
        int finals = 0;
        int first = -1;
        double endTime = 0;
        String language = null;
        String lastPartial = null;
        for (int i = 0; i < events.size(); i++) {
            for (JsonNode result : events.get(i).path("Transcript").path("Results")) {
                JsonNode best = result.path("Alternatives").path(0);
                String text = text(best, "Transcript");
                if (text != null && !text.isEmpty() && first < 0) {
                    first = i;
                }
                endTime = Math.max(endTime, result.path("EndTime").asDouble(0));
                language = language == null ? text(result, "LanguageCode") : language;
                if (result.path("IsPartial").asBoolean(false)) {
                    partial++;
                    lastPartial = text;
                    continue;
                }
                finals++;
                lastPartial = null;
                if (text != null && !text.isEmpty()) {
                    if (transcript.length() > 0) {
                        transcript.append(' ');
                    }
                    transcript.append(text.trim());
                }
                for (JsonNode item : best.path("Items")) {
                    if ("pronunciation".equals(text(item, "Type")) && item.path("Confidence").isNumber()) {
                        confidenceSum += item.get("Confidence").asDouble();
                        confident++;
                    }
                }
            }
        }
        // A stream that ended before a final result: its latest partial text is all there is.
        String text = transcript.length() > 0 ? transcript.toString() : lastPartial;
        ObjectNode output = JSON.objectNode();
        output.put("text", text);
        if (confident > 0) {
            double confidence = confidenceSum / confident;
            output.put("confidence", Math.round(confidence * 10_000) / 10_000.0);
            putMetadata(record, "confidence", String.format(Locale.ROOT, "%.4f", confidence));
        }
        if (language != null) {
            output.put("language", language);
            putMetadata(record, "detected_language", language);
        }
        output.put("final_results", finals);
        output.put("partial_results", partial);
        record.output = output;
        record.outputText = text;
        putMetadata(record, "partial_results", Integer.toString(partial));
        if (finals == 0 && lastPartial != null) {
            putMetadata(record, "final_result", "none");
        }
        if (record.audioSeconds <= 0 && endTime > 0) {
            // audio that is not PCM: the end of the last result is how much audio was transcribed
            record.audioSeconds = endTime;
            putMetadata(record, "audio_seconds_from", "result_end_time");
        }
        return first;
    }

    /**
     * The billed audio: whole seconds, at least {@value #MINIMUM_BILLED_SECONDS} a request. A
     * request the service refused before any result is not billed.
     */
    public static void billing(boolean refused, StageRecord record) {
        if (refused || record.audioSeconds <= 0) {
            record.audioSeconds = 0;
            return;
        }
        long billed = Math.max(MINIMUM_BILLED_SECONDS, (long) Math.ceil(record.audioSeconds - 1e-9));
        putMetadata(record, "audio_ms", Long.toString(Math.round(record.audioSeconds * 1000)));
        record.audioSeconds = billed;
        WireFields.billedAudio(record, billed);
    }

    /** Transcribe's {@code pcm} is signed 16-bit little-endian, interleaved when there are channels. */
    static double pcmSeconds(String encoding, long bytes, long rate, long channels) {
        if (!"pcm".equals(encoding) || bytes <= 0 || rate <= 0) {
            return 0;
        }
        return bytes / (2.0 * rate * channels);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
