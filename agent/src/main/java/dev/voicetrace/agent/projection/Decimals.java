package dev.voicetrace.agent.projection;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text for the doubles written on every span (latencies in milliseconds, costs in USD).
 * {@link Double#toString} finds the shortest exact representation, which is slow; these values
 * need a fixed number of decimals only, so they are scaled to a long and written with integer
 * arithmetic: 12 decimals below 1,000, 9 below a million, {@link Double#toString} beyond.
 */
final class Decimals {

    private Decimals() {}

    /** The value as a JSON number, trailing zeros dropped; "null" for NaN and infinities. */
    static String toJson(double value) {
        byte[] text = new byte[MAX_CHARS];
        return new String(text, 0, write(value, text, 0), StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@link #toJson}'s text into {@code out} from {@code at}, where at least
     * {@link #MAX_CHARS} bytes must be free, and returns where it ends: a span's numbers written
     * in place, without a string and its arrays for each.
     */
    static int write(double value, byte[] out, int at) {
        if (!Double.isFinite(value)) {
            return ascii("null", out, at);
        }
        double magnitude = Math.abs(value);
        int decimals;
        if (magnitude < 1e3) {
            decimals = 12;
        } else if (magnitude < 1e6) {
            decimals = 9;
        } else {
            return ascii(Double.toString(value), out, at);
        }
        long scaled = Math.round(magnitude * POWERS[decimals]);
        long whole = scaled / (long) POWERS[decimals];
        long fraction = scaled % (long) POWERS[decimals];
        // Written backwards into the room given, then moved to its start: at most a sign, 7 whole
        // digits, a point and 12 decimals. Plain arithmetic keeps the code the JIT compiles for
        // this small; with a StringBuilder's appends inlined C2 compiled five times the bytecode
        // into 2.5 times the code.
        int end = at + MAX_CHARS;
        int from = end;
        if (fraction != 0) {
            int places = decimals;
            while (fraction % 10 == 0) {
                fraction /= 10;
                places--;
            }
            for (; places > 0; places--) {
                out[--from] = (byte) ('0' + fraction % 10);
                fraction /= 10;
            }
            out[--from] = '.';
        }
        do {
            out[--from] = (byte) ('0' + whole % 10);
            whole /= 10;
        } while (whole != 0);
        if (value < 0 && scaled != 0) {
            out[--from] = '-';
        }
        int length = end - from;
        System.arraycopy(out, from, out, at, length);
        return at + length;
    }

    /** An ASCII text of at most {@link #MAX_CHARS} characters (Double.toString's are 24 at most). */
    private static int ascii(String text, byte[] out, int at) {
        for (int i = 0; i < text.length(); i++) {
            out[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    /** The most bytes {@link #write} writes. */
    static final int MAX_CHARS = 24;

    private static final double[] POWERS = new double[13];

    static {
        double power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = power;
            power *= 10;
        }
    }
}
