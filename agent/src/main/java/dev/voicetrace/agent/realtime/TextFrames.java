package dev.voicetrace.agent.realtime;

/**
 * Bounded looks into the start of a JSON text frame without parsing or allocating: where a
 * field's string value starts, and whether it equals a constant. Vendors put {@code type} (or
 * their own discriminator) first; a frame where it is not found near the start is simply kept and
 * parsed on the processing thread.
 */
public final class TextFrames {

    /** How far into a frame the discriminator is looked for. */
    public static final int DISCRIMINATOR_WINDOW = 256;

    private TextFrames() {}

    /**
     * The index just after the opening quote of {@code "field": "} within the first {@code limit}
     * characters, or -1.
     */
    public static int stringValueStart(CharSequence text, String field, int limit) {
        int end = Math.min(limit, text.length());
        int keyLength = field.length();
        for (int i = 0; i + keyLength + 2 < end; i++) {
            if (text.charAt(i) != '"' || text.charAt(i + keyLength + 1) != '"' || !regionEquals(text, i + 1, field)) {
                continue;
            }
            int j = i + keyLength + 2;
            while (j < end && isSpace(text.charAt(j))) {
                j++;
            }
            if (j >= end || text.charAt(j) != ':') {
                continue;
            }
            j++;
            while (j < end && isSpace(text.charAt(j))) {
                j++;
            }
            return j < end && text.charAt(j) == '"' ? j + 1 : -1;
        }
        return -1;
    }

    /** Whether the string value starting at {@code start} is exactly {@code value}. */
    public static boolean valueIs(CharSequence text, int start, String value) {
        return start >= 0 && start + value.length() < text.length() && regionEquals(text, start, value)
                && text.charAt(start + value.length()) == '"';
    }

    /** Whether the string value starting at {@code start} begins with {@code prefix}. */
    public static boolean valueStartsWith(CharSequence text, int start, String prefix) {
        return start >= 0 && start + prefix.length() <= text.length() && regionEquals(text, start, prefix);
    }

    /** Whether {@code needle} occurs in {@code text} (a scan for a literal such as {@code "speech_final":true}). */
    public static boolean contains(CharSequence text, String needle) {
        return indexOf(text, needle, 0) >= 0;
    }

    /**
     * The value of a boolean field {@code "key": true|false} anywhere in the frame (one scan):
     * 1 for true, 0 for false, -1 when absent or not a boolean.
     *
     * @param quoted the key with its quotes, e.g. {@code "\"is_final\""} (a constant: nothing is allocated)
     */
    public static int booleanValue(CharSequence text, String quoted) {
        for (int at = indexOf(text, quoted, 0); at >= 0; at = indexOf(text, quoted, at + 1)) {
            int j = at + quoted.length();
            int end = text.length();
            while (j < end && isSpace(text.charAt(j))) {
                j++;
            }
            if (j >= end || text.charAt(j) != ':') {
                continue;
            }
            j++;
            while (j < end && isSpace(text.charAt(j))) {
                j++;
            }
            if (j < end && text.charAt(j) == 't') {
                return 1;
            }
            if (j < end && text.charAt(j) == 'f') {
                return 0;
            }
            return -1;
        }
        return -1;
    }

    /**
     * The index of {@code needle} in {@code text} from {@code from}, or -1: a string's own search,
     * or a loop over the array behind a heap {@link java.nio.CharBuffer} (what the JDK's client
     * delivers), without copying.
     */
    static int indexOf(CharSequence text, String needle, int from) {
        if (text instanceof String) {
            return ((String) text).indexOf(needle, from);
        }
        char first = needle.charAt(0);
        int last = text.length() - needle.length();
        if (text instanceof java.nio.CharBuffer && ((java.nio.CharBuffer) text).hasArray()) {
            java.nio.CharBuffer buffer = (java.nio.CharBuffer) text;
            char[] chars = buffer.array();
            int base = buffer.arrayOffset() + buffer.position();
            outer:
            for (int i = from; i <= last; i++) {
                if (chars[base + i] != first) {
                    continue;
                }
                for (int k = 1; k < needle.length(); k++) {
                    if (chars[base + i + k] != needle.charAt(k)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
        for (int i = from; i <= last; i++) {
            if (text.charAt(i) == first && regionEquals(text, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionEquals(CharSequence text, int offset, String value) {
        if (offset + value.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < value.length(); k++) {
            if (text.charAt(offset + k) != value.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
