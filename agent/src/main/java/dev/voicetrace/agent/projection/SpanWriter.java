package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.json.JsonStrings;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one OTLP/JSON span directly as UTF-8 bytes: ids, name, kind and times, then attributes
 * one by one, then the status. A span is projected for every call, so it builds no JSON tree: the
 * shape is fixed and only strings need escaping (a call's input and output, JSON trees, are
 * walked straight into the escaped string that holds their text).
 */
final class SpanWriter {

    private static final int CHUNK_CHARS = 1024;

    private static final int STRING_VALUE = 0;
    private static final int INT_VALUE = 1;
    private static final int DOUBLE_VALUE = 2;
    private static final int ARRAY_VALUE = 3;
    private static final String[] VALUE_TYPES = {"stringValue", "intValue", "doubleValue", "arrayValue"};
    private static final int MAX_CACHED_KEYS_PER_TYPE = 512;
    @SuppressWarnings("unchecked")
    private static final Map<String, byte[]>[] ATTRIBUTE_OPENINGS = new Map[] {
        new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>()
    };

    private static final byte[] TRACE_ID = punctuation("{\"traceId\":");
    private static final byte[] SPAN_ID = punctuation(",\"spanId\":");
    private static final byte[] PARENT_SPAN_ID = punctuation(",\"parentSpanId\":");
    private static final byte[] NAME = punctuation(",\"name\":");
    private static final byte[] KIND = punctuation(",\"kind\":");
    private static final byte[] START_TIME = punctuation(",\"startTimeUnixNano\":\"");
    private static final byte[] END_TIME = punctuation("\",\"endTimeUnixNano\":\"");
    private static final byte[] ATTRIBUTES = punctuation("\",\"attributes\":[");
    private static final byte[] CLOSE_ATTRIBUTE = punctuation("}}");
    private static final byte[] STATUS = punctuation("],\"status\":{\"code\":");

    /**
     * The processing thread writes one span after another: its buffer is kept between spans, so a
     * span costs one copy of its bytes and no buffer growth. A thread therefore writes one span at
     * a time: a second writer made before the first finished would share its buffer.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
    private static final int MAX_KEPT_BUFFER = 1 << 20;

    private byte[] bytes = SCRATCH.get();
    private int size;
    private boolean firstAttribute = true;
    /** Made on the first JSON value written. */
    private JsonTextTokens jsonTextTokens;

    SpanWriter(String traceId, String spanId, String parentSpanId, String name, int kind, long start, long end) {
        raw(TRACE_ID);
        string(traceId);
        raw(SPAN_ID);
        string(spanId);
        if (parentSpanId != null) {
            raw(PARENT_SPAN_ID);
            string(parentSpanId);
        }
        raw(NAME);
        string(name);
        raw(KIND);
        number(kind);
        // OTLP/JSON writes 64-bit integers as decimal strings.
        raw(START_TIME);
        number(start);
        raw(END_TIME);
        number(Math.max(start, end));
        raw(ATTRIBUTES);
    }

    /** A string attribute; a null value is left out, as OTLP has no null. */
    void attribute(String key, String value) {
        if (value == null) {
            return;
        }
        startAttribute(key, STRING_VALUE);
        string(value);
        raw(CLOSE_ATTRIBUTE);
    }

    /**
     * A JSON value as a string attribute holding its JSON text (Langfuse's input and output),
     * written straight into the span: the text is never built as a string of its own. A null
     * value is left out.
     */
    void jsonAttribute(String key, com.fasterxml.jackson.databind.JsonNode value) {
        if (value == null) {
            return;
        }
        openStringAttribute(key);
        jsonText(value);
        closeStringAttribute();
    }

    /**
     * A string attribute holding {@code text} as a JSON string (Langfuse reads input, output and
     * times as JSON): quoted and escaped as JSON text, then escaped again, in place.
     */
    void jsonStringAttribute(String key, String text) {
        if (text == null) {
            return;
        }
        openStringAttribute(key);
        quotedText(text);
        closeStringAttribute();
    }

    /**
     * A string attribute holding a flat JSON object (usage, cost, model parameters): strings,
     * booleans and numbers, anything else as its string; doubles as {@link Decimals} writes them.
     * Written in place, without the object's text as a string first.
     */
    void jsonObjectAttribute(String key, Map<String, ?> values) {
        openStringAttribute(key);
        put((byte) '{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            quotedText(entry.getKey());
            put((byte) ':');
            flatValue(entry.getValue());
        }
        put((byte) '}');
        closeStringAttribute();
    }

    /** A string attribute holding a JSON array of strings (a trace's tags). */
    void jsonStringArrayAttribute(String key, java.util.List<String> values) {
        openStringAttribute(key);
        put((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            quotedText(values.get(i));
        }
        put((byte) ']');
        closeStringAttribute();
    }

    /** A string attribute's opening up to its value's first quote, for a value written in place. */
    private void openStringAttribute(String key) {
        startAttribute(key, STRING_VALUE);
        put((byte) '"');
    }

    private void closeStringAttribute() {
        put((byte) '"');
        raw(CLOSE_ATTRIBUTE);
    }

    private void flatValue(Object value) {
        if (value == null) {
            ascii("null");
        } else if (value instanceof Boolean) {
            ascii((Boolean) value ? "true" : "false");
        } else if (value instanceof Long || value instanceof Integer) {
            number(((Number) value).longValue());
        } else if (value instanceof Number) {
            ensure(Decimals.MAX_CHARS);
            size = Decimals.write(((Number) value).doubleValue(), bytes, size);
        } else {
            quotedText(value.toString());
        }
    }

    /**
     * The JSON text of {@code root} as the content of a JSON string, in one pass: each string of
     * the tree is escaped as JSON text (what {@link dev.voicetrace.agent.json.Json#write} writes)
     * and that again as the content of the attribute's string. Writing the text first and
     * escaping it after took two passes over every character of a conversation, and a string of
     * the whole text in between.
     */
    private void jsonText(com.fasterxml.jackson.databind.JsonNode root) {
        if (jsonTextTokens == null) {
            jsonTextTokens = new JsonTextTokens();
        }
        dev.voicetrace.agent.json.JsonTreeWalker.walk(root, jsonTextTokens);
    }

    /**
     * A string of the JSON text, quotes included, as the JSON writer writes it ({@code "}, {@code \}
     * and control characters escaped, the latter with upper-case hex), escaped again as string
     * content: a quote becomes {@code \\\"}, a backslash four, a newline {@code \\n}.
     */
    private void quotedText(String value) {
        ensure(2);
        bytes[size++] = '\\';
        bytes[size++] = '"';
        int length = value.length();
        for (int from = 0; from < length; ) {
            int to = JsonStrings.chunkEnd(value, from, CHUNK_CHARS);
            // At most 7 bytes per char: a control character's \\u00XX.
            ensure((to - from) * 7 + 4);
            int clean = from;
            while (clean < to) {
                char c = value.charAt(clean);
                if (c < 0x20 || c == '"' || c == '\\') {
                    break;
                }
                clean++;
            }
            if (clean > from) {
                // No character here the JSON text escapes: only the attribute string's escaping.
                size = JsonStrings.encode(value, from, clean, bytes, size, JsonStrings.LOWER_HEX);
                from = clean;
                continue;
            }
            // The JSON text's escape, its backslash and any quote or backslash after it escaped again.
            char c = value.charAt(from++);
            bytes[size++] = '\\';
            bytes[size++] = '\\';
            if (c == '"' || c == '\\') {
                bytes[size++] = '\\';
                bytes[size++] = (byte) c;
            } else {
                size = JsonStrings.controlEscape(bytes, size, c, JsonStrings.UPPER_HEX);
            }
        }
        ensure(2);
        bytes[size++] = '\\';
        bytes[size++] = '"';
    }

    /** An integer attribute, as a JSON number: Langfuse's schema types {@code intValue} as integer. */
    void attribute(String key, long value) {
        startAttribute(key, INT_VALUE);
        number(value);
        raw(CLOSE_ATTRIBUTE);
    }

    /** A double attribute; OTLP/JSON has no NaN or infinity, so those are left out. */
    void attribute(String key, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        startAttribute(key, DOUBLE_VALUE);
        ensure(Decimals.MAX_CHARS);
        size = Decimals.write(value, bytes, size);
        raw(CLOSE_ATTRIBUTE);
    }

    /** A string array attribute (e.g. finish reasons); null values in it are left out. */
    void attribute(String key, java.util.List<String> values) {
        startAttribute(key, ARRAY_VALUE);
        ascii("{\"values\":[");
        boolean first = true;
        for (String value : values) {
            if (value == null) {
                continue;
            }
            if (!first) {
                put((byte) ',');
            }
            first = false;
            ascii("{\"stringValue\":");
            string(value);
            put((byte) '}');
        }
        ascii("]}}}");
    }

    /** Closes the attributes and writes the status: the span's bytes. */
    byte[] finish(int statusCode, String statusMessage) {
        raw(STATUS);
        number(statusCode);
        if (statusMessage != null) {
            ascii(",\"message\":");
            string(statusMessage);
        }
        ascii("}}");
        if (bytes.length <= MAX_KEPT_BUFFER) {
            SCRATCH.set(bytes);
        }
        return Arrays.copyOf(bytes, size);
    }

    /**
     * Opens an attribute: {@code {"key":"...","value":{"<type>":}. A span has some thirty
     * attributes and their keys are most of its bytes, so each key's opening is encoded once and
     * then copied; keys made from data (metadata names) are cached too, up to a bound.
     */
    private void startAttribute(String key, int valueType) {
        if (!firstAttribute) {
            put((byte) ',');
        }
        firstAttribute = false;
        Map<String, byte[]> cache = ATTRIBUTE_OPENINGS[valueType];
        byte[] opening = cache.get(key);
        if (opening != null) {
            raw(opening);
            return;
        }
        int start = size;
        ascii("{\"key\":");
        string(key);
        ascii(",\"value\":{\"");
        ascii(VALUE_TYPES[valueType]);
        ascii("\":");
        if (cache.size() < MAX_CACHED_KEYS_PER_TYPE) {
            cache.putIfAbsent(key, Arrays.copyOfRange(bytes, start, size));
        }
    }

    /** Bytes of the writer's own punctuation. */
    private void raw(byte[] punctuation) {
        ensure(punctuation.length);
        System.arraycopy(punctuation, 0, bytes, size, punctuation.length);
        size += punctuation.length;
    }

    /** A decimal integer, written without making a string of it. */
    private void number(long value) {
        if (value < 0) {
            // Long.MIN_VALUE has no positive counterpart; negatives are rare enough for a string.
            ascii(Long.toString(value));
            return;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int at = size + digits - 1; at >= size; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
    }

    /** Text known to be ASCII with nothing to escape (the writer's own punctuation, numbers). */
    private void ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    /** A JSON string: quoted, escaped, UTF-8 encoded; a lone surrogate becomes U+FFFD. */
    private void string(String value) {
        put((byte) '"');
        encodeAll(value);
        put((byte) '"');
    }

    /** The escaped UTF-8 of a text, without quotes. */
    private void encodeAll(String value) {
        int length = value.length();
        // Room is made a chunk at a time, so that a long input does not make the buffer six times its length.
        for (int from = 0; from < length; ) {
            int to = JsonStrings.chunkEnd(value, from, CHUNK_CHARS);
            ensure((to - from) * JsonStrings.MAX_BYTES_PER_CHAR);
            size = JsonStrings.encode(value, from, to, bytes, size, JsonStrings.LOWER_HEX);
            from = to;
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    private static byte[] punctuation(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A tree's tokens written as JSON text inside the attribute's string, escaped twice. */
    private final class JsonTextTokens implements dev.voicetrace.agent.json.JsonTreeWalker.Tokens {
        @Override
        public void punctuation(char c) {
            put((byte) c);
        }

        @Override
        public void string(String value) {
            quotedText(value);
        }

        @Override
        public void literal(String text) {
            ascii(text);
        }

        @Override
        public void integer(long value) {
            number(value);
        }
    }
}
