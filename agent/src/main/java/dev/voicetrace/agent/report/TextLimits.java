package dev.voicetrace.agent.report;

/** How much text of a call the report keeps, so that its size follows the number of turns only. */
final class TextLimits {

    /** The caller's words and the spoken reply. */
    static final int TURN_TEXT = 2000;
    /** An observation's input or output, as JSON text. */
    static final int CALL_TEXT = 1200;
    /** Model parameters, usage, error messages. */
    static final int SHORT_TEXT = 400;
    /** Any attribute value while reading (the longest kept above, with room to find tool calls). */
    static final int ATTRIBUTE = 16 * 1024;

    private TextLimits() {}

    static String cut(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = limit;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "\u2026 [" + text.length() + " characters]";
    }
}
