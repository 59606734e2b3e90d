package dev.voicetrace.agent.polly;

import static dev.voicetrace.agent.json.WireFields.audioOutput;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps Amazon Polly's {@code SynthesizeSpeech} (request body fields {@code Text}, {@code TextType},
 * {@code VoiceId}, {@code OutputFormat}, {@code Engine}, {@code SampleRate}, {@code LanguageCode};
 * response headers {@code Content-Type} and {@code x-amzn-RequestCharacters}, as
 * {@code ContentType} and {@code RequestCharacters}) onto a {@link StageRecord}. Pure functions.
 */
public final class PollyWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** Polly's default sample rates when the request names none (Hz). */
    static final int DEFAULT_PCM_RATE = 16_000;

    private PollyWireMapper() {}

    /**
     * The model is {@code polly-<engine>} (standard when the request names none, as Polly does),
     * which is what Polly prices by.
     */
    public static void request(JsonNode body, StageRecord record) {
        String engine = text(body, "Engine");
        engine = engine == null ? "standard" : engine.toLowerCase(Locale.ROOT);
        record.model = "polly-" + engine;
        String voice = text(body, "VoiceId");
        String format = text(body, "OutputFormat");
        String textType = text(body, "TextType");
        putParameter(record, "voice", voice);
        putParameter(record, "engine", engine);
        putParameter(record, "output_format", format);
        putParameter(record, "text_type", textType);
        if (body.path("SampleRate").isTextual() || body.path("SampleRate").isNumber()) {
            putParameter(record, "sample_rate", body.get("SampleRate").asText());
        }
        putParameter(record, "language", text(body, "LanguageCode"));

        String text = text(body, "Text");
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        input.put("voice", voice);
        if (textType != null) {
            input.put("text_type", textType);
        }
        if (text(body, "LanguageCode") != null) {
            input.put("language", text(body, "LanguageCode"));
        }
        record.input = input;
        record.inputText = "ssml".equalsIgnoreCase(textType) && text != null ? ssmlText(text) : text;
        String spoken = record.inputText;
        record.characters = spoken == null ? 0 : spoken.codePointCount(0, spoken.length());
        putMetadata(record, "voice", voice);
        putMetadata(record, "engine", engine);
        putMetadata(record, "format", format);
    }

    /**
     * The response headers and what the application read of the audio, never the audio itself.
     * Polly bills the characters it reports in {@code RequestCharacters}; without that header the
     * count of the text's characters (SSML tags left out) stands.
     */
    public static void response(JsonNode headers, long bytes, boolean interrupted, StageRecord record) {
        if (headers != null && headers.path("RequestCharacters").canConvertToLong()
                && headers.get("RequestCharacters").asLong() > 0) {
            record.characters = headers.get("RequestCharacters").asLong();
        }
        audioOutput(record, bytes, pcmSeconds(record, bytes), interrupted)
                .put("content_type", text(headers, "ContentType"));
    }

    /** Polly's {@code pcm} is signed 16-bit little-endian mono at the requested rate. */
    static double pcmSeconds(StageRecord record, long bytes) {
        if (bytes <= 0 || !"pcm".equals(record.metadata.get("format"))) {
            return 0;
        }
        Object rate = record.modelParameters.get("sample_rate");
        int hz = DEFAULT_PCM_RATE;
        if (rate != null) {
            try {
                hz = Integer.parseInt(rate.toString());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return hz <= 0 ? 0 : bytes / (2.0 * hz);
    }

    /** The spoken text of an SSML document: tags dropped, whitespace collapsed, entities unescaped. */
    static String ssmlText(String ssml) {
        String plain = TAG.matcher(ssml).replaceAll(" ");
        plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
        return SPACES.matcher(plain).replaceAll(" ").trim();
    }

    private static void putParameter(StageRecord record, String key, String value) {
        if (value != null) {
            record.modelParameters.put(key, value);
        }
    }
}
