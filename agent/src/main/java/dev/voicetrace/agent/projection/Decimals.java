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
        StringBuilder text = new StringBuilder(24);
        if (value < 0 && scaled != 0) {
            text.append('-');
        }
        text.append(whole);
        if (fraction != 0) {
            text.append('.');
            String digits = Long.toString(fraction);
            for (int pad = digits.length(); pad < decimals; pad++) {
                text.append('0');
            }
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            text.append(digits, 0, end);
        }
        return text.toString();
    }

    private static final double[] POWERS = new double[13];

    static {
        double power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = power;
            power *= 10;
        }
    }
}
