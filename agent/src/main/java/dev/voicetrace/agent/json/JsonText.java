package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A tree's JSON text as UTF-8 bytes, the same text Jackson's generator writes (compact, escaped
 * as {@link JsonStrings} says). The agent writes its trees itself rather than through Jackson's
 * generator, whose factory alone loads some fifty classes into every application at start.
 */
final class JsonText implements JsonTreeWalker.Tokens {

    private static final int CHUNK_CHARS = 1024;

    private byte[] bytes;
    private int size;

    private JsonText(int capacity) {
        bytes = new byte[capacity];
    }

    static byte[] bytesOf(JsonNode root) {
        JsonText text = new JsonText(256);
        JsonTreeWalker.walk(root, text);
        return Arrays.copyOf(text.bytes, text.size);
    }

    static String stringOf(JsonNode root) {
        JsonText text = new JsonText(64);
        JsonTreeWalker.walk(root, text);
        return new String(text.bytes, 0, text.size, StandardCharsets.UTF_8);
    }

    @Override
    public void punctuation(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    @Override
    public void string(String value) {
        punctuation('"');
        int length = value.length();
        for (int from = 0; from < length; ) {
            int to = JsonStrings.chunkEnd(value, from, CHUNK_CHARS);
            ensure((to - from) * JsonStrings.MAX_BYTES_PER_CHAR);
            size = JsonStrings.encode(value, from, to, bytes, size, JsonStrings.UPPER_HEX);
            from = to;
        }
        punctuation('"');
    }

    @Override
    public void literal(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    @Override
    public void integer(long value) {
        literal(Long.toString(value));
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
