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
}
