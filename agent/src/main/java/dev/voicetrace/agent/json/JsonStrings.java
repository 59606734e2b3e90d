package dev.voicetrace.agent.json;

import java.nio.charset.StandardCharsets;

/**
 * The content of a JSON string as UTF-8, escaped as Jackson's generator escapes it: a quote and a
 * backslash with a backslash, the five control characters that have one with their letter
 * ({@code \n \r \t \b \f}), the other control characters as {@code \\u00XX}, everything else as its
 * UTF-8 bytes. A surrogate without its pair cannot be encoded in UTF-8 and becomes U+FFFD.
 *
 * <p>Writers encode a long text a chunk at a time, so that the room they make for it (at most
 * {@link #MAX_BYTES_PER_CHAR} bytes a char) stays small: {@link #chunkEnd} never splits a pair.
 */
public final class JsonStrings {

    /** An escaped control character, {@code \\u00XX}, is the longest a char becomes. */
    public static final int MAX_BYTES_PER_CHAR = 6;
    /** Hex digits of a {@code \\u00XX} escape as Jackson writes them. */
    public static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonStrings() {}

    /**
     * Where a chunk starting at {@code from} ends: {@code from + chars}, one further when that
     * would part a surrogate pair, or the end of the text.
     */
    public static int chunkEnd(String value, int from, int chars) {
        int length = value.length();
        if (length - from <= chars) {
            return length;
        }
        int to = from + chars;
        return Character.isHighSurrogate(value.charAt(to - 1)) && Character.isLowSurrogate(value.charAt(to)) ? to + 1 : to;
    }

    /**
     * Writes the escaped UTF-8 of {@code value}'s chars from {@code from} to {@code to} at
     * {@code at} in {@code out}, which has room for {@link #MAX_BYTES_PER_CHAR} bytes a char;
     * returns where it stopped writing.
     */
    public static int encode(String value, int from, int to, byte[] out, int at, byte[] hexDigits) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                } else {
                    out[at++] = '\\';
                    if (c == '"' || c == '\\') {
                        out[at++] = (byte) c;
                    } else {
                        at = controlEscape(out, at, c, hexDigits);
                    }
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(value.charAt(i + 1))) {
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
        return at;
    }

    /** What follows the backslash in a control character's escape: a letter, or {@code u00} and two hex digits. */
    public static int controlEscape(byte[] out, int at, char c, byte[] hexDigits) {
        switch (c) {
            case '\n': out[at++] = 'n'; return at;
            case '\r': out[at++] = 'r'; return at;
            case '\t': out[at++] = 't'; return at;
            case '\b': out[at++] = 'b'; return at;
            case '\f': out[at++] = 'f'; return at;
            default:
                out[at++] = 'u';
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = hexDigits[c >> 4];
                out[at++] = hexDigits[c & 0xF];
                return at;
        }
    }
}
