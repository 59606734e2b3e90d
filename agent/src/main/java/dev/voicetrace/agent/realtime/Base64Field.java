package dev.voicetrace.agent.realtime;

/**
 * Counts the bytes a base64 string value of a JSON text frame decodes to, across the frame's
 * parts, by scanning for the value's bounds: no copy, no allocation. One per direction of a
 * socket, used by one thread at a time.
 */
final class Base64Field {

    private static final int BEFORE = 0;
    private static final int INSIDE = 1;
    private static final int AFTER = 2;

    private int state = AFTER;
    private long chars;
    private int padding;

    private String field;

    /** Starts a frame whose audio is in {@code field}; scans its first part. */
    void start(CharSequence part, String audioField) {
        chars = 0;
        padding = 0;
        field = audioField;
        state = BEFORE;
        find(part);
    }

    /** Scans a further part of the same frame. */
    void more(CharSequence part) {
        if (state == INSIDE) {
            scan(part, 0);
        } else if (state == BEFORE) {
            find(part);
        }
    }

    /** Looks for the field in a part; a key cut in two by the parts' boundary is missed (the frame counts, its size not). */
    private void find(CharSequence part) {
        int valueStart = TextFrames.stringValueStart(part, field, part.length());
        if (valueStart >= 0) {
            state = INSIDE;
            scan(part, valueStart);
        }
    }

    private void scan(CharSequence part, int from) {
        int end = part.length();
        for (int i = from; i < end; i++) {
            char c = part.charAt(i);
            if (c == '"') {
                state = AFTER;
                return;
            }
            if (c == '=') {
                padding++;
            } else if (c != '\\') {
                chars++;
            }
        }
    }

    /** The decoded size of the value seen so far (a frame's whole value once its last part is scanned). */
    long bytes() {
        long groups = (chars + padding) / 4;
        return Math.max(0, groups * 3 - padding);
    }
}
