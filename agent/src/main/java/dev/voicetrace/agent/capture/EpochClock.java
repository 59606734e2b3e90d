package dev.voicetrace.agent.capture;

/**
 * Nanoseconds since the Unix epoch from the monotonic clock: wall time read once, then advanced
 * by {@link System#nanoTime()}, so that durations are never distorted by clock adjustments and a
 * reading costs no allocation.
 */
public final class EpochClock {

    private static final long EPOCH_NANOS_AT_BASE = System.currentTimeMillis() * 1_000_000L;
    private static final long NANO_TIME_AT_BASE = System.nanoTime();

    private EpochClock() {}

    public static long now() {
        return EPOCH_NANOS_AT_BASE + (System.nanoTime() - NANO_TIME_AT_BASE);
    }

    /**
     * The instant in UTC as {@code Instant.toString()} writes it ({@code 2026-12-06T15:28:54.123Z},
     * the fraction in groups of three digits, none when zero), written directly: the formatter
     * behind {@code Instant.toString()} was a few per cent of the processing thread's time in a
     * voice application, whose few calls a second leave that code interpreted for minutes, and
     * its first use in a JVM takes 10 to 15 ms (the agent's first log line is written in
     * {@code premain}, before the application's {@code main}).
     */
    public static String iso(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        // A long of nanoseconds spans the years 1677 to 2262: always four digits.
        char[] text = new char[30];
        int at = digits(text, 0, date.getYear(), 4);
        text[at++] = '-';
        at = digits(text, at, date.getMonthValue(), 2);
        text[at++] = '-';
        at = digits(text, at, date.getDayOfMonth(), 2);
        text[at++] = 'T';
        at = digits(text, at, secondOfDay / 3600, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay / 60 % 60, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay % 60, 2);
        if (nanos != 0) {
            text[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(text, at, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                at = digits(text, at, nanos / 1000, 6);
            } else {
                at = digits(text, at, nanos, 9);
            }
        }
        text[at++] = 'Z';
        return new String(text, 0, at);
    }

    /** {@code value} in exactly {@code width} decimal digits, zero-padded, at {@code at}; the end. */
    private static int digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
