package dev.voicetrace.agent.googlespeech;

import static dev.voicetrace.agent.json.WireFields.audioOutput;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.json.WireFields;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps Google Cloud Speech-to-Text (v1 and v2) and Text-to-Speech (v1) requests and responses, in
 * the shape of their documented REST JSON, onto a {@link StageRecord}. Pure functions.
 *
 * <p>Models are named {@code google-speech-v1/<model>} and {@code google-speech-v2/<model>}
 * ({@code default} when the request names none), and {@code google-tts/<voice type>} from the
 * voice name ({@code en-US-Neural2-F} is {@code google-tts/neural2}), which is how Google prices them.
 */
public final class GoogleSpeechWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private GoogleSpeechWireMapper() {}

    // ---- Speech-to-Text ----

    /**
     * A recognition request (unary {@code RecognizeRequest}, or the config of a stream with the
     * audio bytes that were sent).
     *
     * @param version {@code v1} or {@code v2}
     * @param config the {@code RecognitionConfig}
     * @param audioBytes audio content sent, -1 when unknown (a URI)
     */
    public static void recognitionRequest(String version, JsonNode config, long audioBytes, String uri,
                                          StageRecord record) {
        boolean v2 = "v2".equals(version);
        JsonNode decoding = v2 ? config.path("explicitDecodingConfig") : config;
        String model = text(config, "model");
        record.model = "google-speech-" + version + "/" + (model == null ? "default" : model);
        String encoding = v2 && config.has("autoDecodingConfig") ? "AUTO" : text(decoding, "encoding");
        long rate = decoding.path("sampleRateHertz").asLong(0);
        long channels = Math.max(1, decoding.path("audioChannelCount").asLong(1));
        String language = v2 ? (config.path("languageCodes").size() > 0
                ? config.path("languageCodes").get(0).asText() : null) : text(config, "languageCode");

        putParameter(record, "model", model);
        putParameter(record, "language", language);
        putParameter(record, "encoding", encoding);
        if (rate > 0) {
            record.modelParameters.put("sample_rate_hertz", rate);
        }
        ObjectNode input = JSON.objectNode();
        ObjectNode audio = input.putObject("audio");
        audio.put("encoding", encoding);
        if (rate > 0) {
            audio.put("sample_rate_hertz", rate);
        }
        if (audioBytes >= 0) {
            audio.put("bytes", audioBytes);
            putMetadata(record, "audio_bytes", Long.toString(audioBytes));
        }
        if (uri != null) {
            audio.put("uri", uri);
        }
        double seconds = linear16Seconds(encoding, audioBytes, rate, channels);
        if (seconds > 0) {
            audio.put("duration_seconds", Math.round(seconds * 1000) / 1000.0);
            record.audioSeconds = seconds;
        }
        input.put("language", language);
        input.put("model", model);
        record.input = input;
        putMetadata(record, "language", language);
        putMetadata(record, "encoding", encoding);
    }

    /** A unary {@code RecognizeResponse}: its results are consecutive parts of the audio. */
    public static void recognizeResponse(String version, JsonNode response, StageRecord record) {
        StringBuilder transcript = new StringBuilder();
        double confidenceSum = 0;
        int confident = 0;
        String language = null;
        for (JsonNode result : response.path("results")) {
            JsonNode best = result.path("alternatives").path(0);
            appendSegment(transcript, text(best, "transcript"));
            if (best.has("confidence")) {
                confidenceSum += best.get("confidence").asDouble();
                confident++;
            }
            language = language == null ? text(result, "languageCode") : language;
        }
        transcriptOutput(transcript.toString(), confident == 0 ? null : confidenceSum / confident, language,
                response.path("results").size(), -1, record);
        billed(version, response, record);
    }

    /**
     * The responses of a recognition stream: interim results (not final) are counted, the final
     * results' best alternatives make the transcript.
     *
     * @return the index of the first response that carried a transcript (the first result), or -1
     */
    public static int streamingResponses(String version, List<JsonNode> responses, StageRecord record) {
        StringBuilder transcript = new StringBuilder();
        double confidenceSum = 0;
        int confident = 0;
        int partial = 0;
        int finals = 0;
        int first = -1;
        String language = null;
        String lastPartial = null;
        for (int i = 0; i < responses.size(); i++) {
            JsonNode response = responses.get(i);
            for (JsonNode result : response.path("results")) {
                JsonNode best = result.path("alternatives").path(0);
                String text = text(best, "transcript");
                if (text != null && !text.isEmpty() && first < 0) {
                    first = i;
                }
                if (result.path("isFinal").asBoolean(false)) {
                    finals++;
                    appendSegment(transcript, text);
                    if (best.has("confidence")) {
                        confidenceSum += best.get("confidence").asDouble();
                        confident++;
                    }
                    lastPartial = null;
                } else {
                    partial++;
                    lastPartial = text;
                }
                language = language == null ? text(result, "languageCode") : language;
            }
            billed(version, response, record);
        }
        // A stream that ended before a final result: its latest interim text is all there is.
        String text = transcript.length() > 0 ? transcript.toString() : lastPartial;
        transcriptOutput(text, confident == 0 ? null : confidenceSum / confident, language, finals, partial, record);
        putMetadata(record, "partial_results", Integer.toString(partial));
        if (finals == 0 && lastPartial != null) {
            putMetadata(record, "final_result", "none");
        }
        return first;
    }

    private static void transcriptOutput(String transcript, Double confidence, String language, int results,
                                         int partial, StageRecord record) {
        ObjectNode output = JSON.objectNode();
        output.put("text", transcript);
        if (confidence != null) {
            output.put("confidence", Math.round(confidence * 10_000) / 10_000.0);
            putMetadata(record, "confidence", String.format(Locale.ROOT, "%.4f", confidence));
        }
        if (language != null) {
            output.put("language", language);
            putMetadata(record, "detected_language", language);
        }
        output.put(partial >= 0 ? "final_results" : "results", results);
        if (partial >= 0) {
            output.put("partial_results", partial);
        }
        record.output = output;
        record.outputText = transcript;
    }

    /** Billed audio, when Google reports it, is what the call costs. */
    private static void billed(String version, JsonNode response, StageRecord record) {
        String billed = "v2".equals(version) ? text(response.path("metadata"), "totalBilledDuration")
                : text(response, "totalBilledTime");
        double seconds = durationSeconds(billed);
        if (seconds > 0) {
            record.audioSeconds = seconds;
            WireFields.billedAudio(record, seconds);
        }
    }

    /** When Google reported no billed time, the seconds of LINEAR16 audio sent stand for it. */
    public static void audioUsageFallback(StageRecord record) {
        if (!record.metadata.containsKey("billed_audio_ms") && record.audioSeconds > 0) {
            WireFields.billedAudio(record, record.audioSeconds);
        }
    }

    // ---- Text-to-Speech ----

    /** A {@code SynthesizeSpeechRequest}, or the config and text chunks of a synthesis stream. */
    public static void synthesisRequest(JsonNode input, JsonNode voice, JsonNode audioConfig, StageRecord record) {
        String name = text(voice, "name");
        record.model = "google-tts/" + voiceType(name);
        putParameter(record, "voice", name);
        putParameter(record, "language", text(voice, "languageCode"));
        putParameter(record, "audio_encoding", text(audioConfig, "audioEncoding"));
        if (audioConfig.path("sampleRateHertz").asLong(0) > 0) {
            record.modelParameters.put("sample_rate_hertz", audioConfig.get("sampleRateHertz").asLong());
        }
        if (audioConfig.has("speakingRate")) {
            record.modelParameters.put("speaking_rate", audioConfig.get("speakingRate").asDouble());
        }
        String ssml = text(input, "ssml");
        String plain = text(input, "text") != null ? text(input, "text") : text(input, "markup");
        String sent = ssml != null ? ssml : plain;
        ObjectNode in = JSON.objectNode();
        in.put(ssml != null ? "ssml" : "text", sent);
        in.put("voice", name);
        in.put("language", text(voice, "languageCode"));
        record.input = in;
        record.inputText = ssml != null ? ssmlText(ssml) : plain;
        // Google bills the characters sent, SSML tags included.
        record.characters = sent == null ? 0 : sent.codePointCount(0, sent.length());
        putMetadata(record, "voice", name);
        putMetadata(record, "format", text(audioConfig, "audioEncoding"));
    }

    /** The audio the call returned, never the audio itself. */
    public static void synthesisOutput(long audioBytes, int chunks, StageRecord record) {
        String encoding = record.metadata.get("format");
        Object rate = record.modelParameters.get("sample_rate_hertz");
        double seconds = 0;
        if (rate instanceof Long && (Long) rate > 0 && audioBytes > 0) {
            // unary LINEAR16 comes as a WAV file (44-byte header); streamed PCM has none
            long pcm = "LINEAR16".equals(encoding) && chunks < 0 ? audioBytes - 44
                    : "PCM".equals(encoding) || "LINEAR16".equals(encoding) ? audioBytes : -1;
            if (pcm > 0) {
                seconds = pcm / (2.0 * (Long) rate);
            }
        }
        ObjectNode output = audioOutput(record, audioBytes, seconds, false);
        if (chunks >= 0) {
            output.put("audio_chunks", chunks);
        }
    }

    /** The voice type in a Google voice name: {@code en-US-Chirp3-HD-Aoede} is {@code chirp3-hd}. */
    static String voiceType(String name) {
        if (name == null || name.isEmpty()) {
            return "unnamed";
        }
        String[] parts = name.split("-");
        if (parts.length < 4) {
            return name.toLowerCase(Locale.ROOT);
        }
        StringBuilder type = new StringBuilder();
        for (int i = 2; i < parts.length - 1; i++) {
            if (type.length() > 0) {
                type.append('-');
            }
            type.append(parts[i]);
        }
        return type.toString().toLowerCase(Locale.ROOT);
    }

    // ---- helpers ----

    static double linear16Seconds(String encoding, long bytes, long rate, long channels) {
        if (bytes <= 0 || rate <= 0 || !"LINEAR16".equals(encoding)) {
            return 0;
        }
        return bytes / (2.0 * rate * channels);
    }

    /** {@code "1.500s"} as seconds; 0 when absent or malformed. */
    static double durationSeconds(String duration) {
        if (duration == null || !duration.endsWith("s")) {
            return 0;
        }
        try {
            return Double.parseDouble(duration.substring(0, duration.length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String ssmlText(String ssml) {
        String plain = TAG.matcher(ssml).replaceAll(" ");
        plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
        return SPACES.matcher(plain).replaceAll(" ").trim();
    }

    private static void appendSegment(StringBuilder transcript, String segment) {
        if (segment == null || segment.trim().isEmpty()) {
            return;
        }
        if (transcript.length() > 0) {
            transcript.append(' ');
        }
        transcript.append(segment.trim());
    }

    private static void putParameter(StageRecord record, String key, String value) {
        if (value != null) {
            record.modelParameters.put(key, value);
        }
    }
}
