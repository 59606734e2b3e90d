package dev.voicetrace.agent.http;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.json.WireFields;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Pieces the speech vendors' REST mappers share: query strings, error bodies, audio output. */
public final class SpeechWire {

    public static final JsonNodeFactory JSON = Json.NODES;

    private SpeechWire() {}

    /** A raw query string as an ordered map (the first value of a repeated name wins). */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            return text;
        }
    }

    /** Copies the named query parameters that are present into the model parameters, typed. */
    public static void queryParameters(Map<String, String> query, String[] names, StageRecord record) {
        for (String name : names) {
            String value = query.get(name);
            if (value == null) {
                continue;
            }
            if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
                record.modelParameters.put(name, Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
            } else if (value.matches("-?\\d{1,15}")) {
                record.modelParameters.put(name, Long.parseLong(value));
            } else {
                record.modelParameters.put(name, value);
            }
        }
    }

    /**
     * The error of a response with a status of 400 or more: "HTTP 401: message", the message read
     * from the vendors' error shapes ({@code err_msg}, {@code detail.message}, {@code detail},
     * {@code error}, {@code message}).
     */
    public static String httpError(int status, JsonNode body) {
        String message = null;
        if (body != null) {
            JsonNode detail = body.path("detail");
            message = firstNonNull(text(body, "err_msg"), text(detail, "message"),
                    detail.isTextual() ? detail.asText() : null, text(body, "error"), text(body, "message"));
        }
        return "HTTP " + status + (message == null ? "" : ": " + message);
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    /** Characters of a text as the vendors bill them (code points). */
    public static long characters(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /**
     * Speech output: the audio the application received, never the audio itself.
     *
     * @param bytesPerSecond of uncompressed audio, 0 when the format is compressed or unknown
     * @param headerBytes bytes of a container header before the samples (44 for WAV)
     */
    public static void audioOutput(long bytes, String contentType, double bytesPerSecond, int headerBytes,
                            boolean interrupted, StageRecord record) {
        long received = Math.max(bytes, 0);
        double seconds = bytesPerSecond > 0 && received > headerBytes ? (received - headerBytes) / bytesPerSecond : 0;
        WireFields.audioOutput(record, bytes, seconds, interrupted).put("content_type", contentType);
    }

    /** The text-to-speech usage: characters billed. */
    public static void characterUsage(long characters, StageRecord record) {
        record.characters = characters;
    }

    /** The speech-to-text usage: audio seconds billed (whole seconds in the usage map). */
    public static void audioSecondsUsage(double seconds, StageRecord record) {
        if (seconds > 0) {
            record.audioSeconds = seconds;
            WireFields.billedAudio(record, seconds);
        }
    }

    /** Notes the audio's duration, once the response told it, beside the rest of the input audio's metadata. */
    public static void inputDuration(JsonNode duration, StageRecord record) {
        if (record.input instanceof ObjectNode && record.input.path("audio").isObject()) {
            ((ObjectNode) record.input.get("audio")).set("duration_seconds", duration);
        }
    }

    /** The audio format a content type names, e.g. {@code audio/wav} -> {@code wav}. */
    public static String formatOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon);
        }
        type = type.trim();
        int slash = type.indexOf('/');
        String sub = slash >= 0 ? type.substring(slash + 1) : type;
        switch (sub) {
            case "x-wav":
            case "wave":
            case "vnd.wave":
                return "wav";
            case "mpeg":
                return "mp3";
            default:
                return sub.startsWith("x-") ? sub.substring(2) : sub;
        }
    }
}
