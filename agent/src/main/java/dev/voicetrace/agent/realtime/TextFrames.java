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

    /** Whether {@code needle} occurs in {@code text} (a bounded scan for a literal such as {@code "speech_final":true}). */
    public static boolean contains(CharSequence text, String needle) {
        if (text instanceof String) {
            return ((String) text).contains(needle);
        }
        int last = text.length() - needle.length();
        char first = needle.charAt(0);
        for (int i = 0; i <= last; i++) {
            if (text.charAt(i) == first && regionEquals(text, i, needle)) {
                return true;
            }
        }
        return false;
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
