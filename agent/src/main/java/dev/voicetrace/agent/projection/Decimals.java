package dev.voicetrace.agent.projection;

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
        if (!Double.isFinite(value)) {
            return "null";
        }
        double magnitude = Math.abs(value);
        int decimals;
        if (magnitude < 1e3) {
            decimals = 12;
        } else if (magnitude < 1e6) {
            decimals = 9;
        } else {
            return Double.toString(value);
        }
        long scaled = Math.round(magnitude * POWERS[decimals]);
        long whole = scaled / (long) POWERS[decimals];
        long fraction = scaled % (long) POWERS[decimals];
        // Written backwards into an array: at most a sign, 7 whole digits, a point and 12
        // decimals. Plain arithmetic keeps the code the JIT compiles for this small; with a
        // StringBuilder's appends inlined C2 compiled five times the bytecode into 2.5 times the code.
        char[] text = new char[MAX_CHARS];
        int at = MAX_CHARS;
        if (fraction != 0) {
            int places = decimals;
            while (fraction % 10 == 0) {
                fraction /= 10;
                places--;
            }
            for (; places > 0; places--) {
                text[--at] = (char) ('0' + fraction % 10);
                fraction /= 10;
            }
            text[--at] = '.';
        }
        do {
            text[--at] = (char) ('0' + whole % 10);
            whole /= 10;
        } while (whole != 0);
        if (value < 0 && scaled != 0) {
            text[--at] = '-';
        }
        return new String(text, at, MAX_CHARS - at);
    }

    private static final int MAX_CHARS = 24;

    private static final double[] POWERS = new double[13];

    static {
        double power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = power;
            power *= 10;
        }
    }
}
