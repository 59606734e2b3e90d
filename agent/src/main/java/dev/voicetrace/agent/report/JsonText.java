package dev.voicetrace.agent.report;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes JSON for embedding in the page's {@code <script type="application/json">} element:
 * {@code <}, {@code >} and {@code &} are written as {@code \\u003c} etc., so no text from a call
 * (a transcript saying {@code </script>}) can end the element or open markup, and U+2028/U+2029
 * are escaped too.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    static void string(Writer out, String value) throws IOException {
        if (value == null) {
            out.write("null");
            return;
        }
        out.write('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.write("\\\"");
                    break;
                case '\\':
                    out.write("\\\\");
                    break;
                case '\n':
                    out.write("\\n");
                    break;
                case '\r':
                    out.write("\\r");
                    break;
                case '\t':
                    out.write("\\t");
                    break;
                case '<':
                case '>':
                case '&':
                case '\u2028':
                case '\u2029':
                    unicode(out, c);
                    break;
                default:
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        unicode(out, c < 0x20 ? c : '\ufffd');
                    } else {
                        out.write(c);
                    }
            }
        }
        out.write('"');
    }

    /** A finite number with at most {@code decimals} decimals, trailing zeros dropped; else null. */
    static void number(Writer out, double value, int decimals) throws IOException {
        out.write(format(value, decimals));
    }

    static String format(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        java.math.BigDecimal decimal = java.math.BigDecimal.valueOf(value)
                .setScale(decimals, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString();
    }

    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    private static void unicode(Writer out, char c) throws IOException {
        out.write("\\u");
        out.write(HEX[(c >> 12) & 0xf]);
        out.write(HEX[(c >> 8) & 0xf]);
        out.write(HEX[(c >> 4) & 0xf]);
        out.write(HEX[c & 0xf]);
    }
}
