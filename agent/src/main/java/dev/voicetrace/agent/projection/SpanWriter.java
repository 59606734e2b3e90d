package dev.voicetrace.agent.projection;

import java.util.Arrays;

/**
 * Writes one OTLP/JSON span directly as UTF-8 bytes: ids, name, kind and times, then attributes
 * one by one, then the status. A span is projected for every call, so it builds no JSON tree and
 * uses no generator: the shape is fixed and only strings need escaping.
 */
final class SpanWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final int CHUNK_CHARS = 1024;

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

    SpanWriter(String traceId, String spanId, String parentSpanId, String name, int kind, long start, long end) {
        ascii("{\"traceId\":");
        string(traceId);
        ascii(",\"spanId\":");
        string(spanId);
        if (parentSpanId != null) {
            ascii(",\"parentSpanId\":");
            string(parentSpanId);
        }
        ascii(",\"name\":");
        string(name);
        ascii(",\"kind\":");
        ascii(Integer.toString(kind));
        // OTLP/JSON writes 64-bit integers as decimal strings.
        ascii(",\"startTimeUnixNano\":\"");
        ascii(Long.toString(start));
        ascii("\",\"endTimeUnixNano\":\"");
        ascii(Long.toString(Math.max(start, end)));
        ascii("\",\"attributes\":[");
    }

    /** A string attribute; a null value is left out, as OTLP has no null. */
    void attribute(String key, String value) {
        if (value == null) {
            return;
        }
        startAttribute(key, "stringValue");
        string(value);
        ascii("}}");
    }

    /** An integer attribute, as a JSON number: Langfuse's schema types {@code intValue} as integer. */
    void attribute(String key, long value) {
        startAttribute(key, "intValue");
        ascii(Long.toString(value));
        ascii("}}");
    }

    /** A double attribute; OTLP/JSON has no NaN or infinity, so those are left out. */
    void attribute(String key, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        startAttribute(key, "doubleValue");
        ascii(Decimals.toJson(value));
        ascii("}}");
    }

    /** A string array attribute (e.g. finish reasons); null values in it are left out. */
    void attribute(String key, java.util.List<String> values) {
        startAttribute(key, "arrayValue");
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
        ascii("],\"status\":{\"code\":");
        ascii(Integer.toString(statusCode));
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

    private void startAttribute(String key, String valueType) {
        if (!firstAttribute) {
            put((byte) ',');
        }
        firstAttribute = false;
        ascii("{\"key\":");
        string(key);
        ascii(",\"value\":{\"");
        ascii(valueType);
        ascii("\":");
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
        int length = value.length();
        put((byte) '"');
        // Room is made a chunk at a time (at most 6 bytes per char, for an escaped control char),
        // so that a long input does not make the buffer six times its length.
        for (int from = 0; from < length; ) {
            int to = Math.min(length, from + CHUNK_CHARS);
            ensure((to - from) * 6 + 4);
            from = encode(value, from, to, length);
        }
        put((byte) '"');
    }

    /** Encodes chars from {@code from} up to {@code to} (one more to finish a surrogate pair). */
    private int encode(String value, int from, int to, int length) {
        byte[] out = bytes;
        int at = size;
        int i = from;
        for (; i < to; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                } else {
                    at = escape(out, at, c);
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | (codePoint >> 18));
                out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (codePoint & 0x3F));
            } else {
                char encoded = Character.isSurrogate(c) ? '\uFFFD' : c;
                out[at++] = (byte) (0xE0 | (encoded >> 12));
                out[at++] = (byte) (0x80 | ((encoded >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (encoded & 0x3F));
            }
        }
        size = at;
        return i;
    }

    private static int escape(byte[] out, int at, char c) {
        out[at++] = '\\';
        switch (c) {
            case '"': out[at++] = '"'; return at;
            case '\\': out[at++] = '\\'; return at;
            case '\n': out[at++] = 'n'; return at;
            case '\r': out[at++] = 'r'; return at;
            case '\t': out[at++] = 't'; return at;
            case '\b': out[at++] = 'b'; return at;
            case '\f': out[at++] = 'f'; return at;
            default:
                out[at++] = 'u';
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = HEX[c >> 4];
                out[at++] = HEX[c & 0xF];
                return at;
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
}
