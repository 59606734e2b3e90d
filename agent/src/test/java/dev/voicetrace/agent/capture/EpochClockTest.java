package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochClockTest {

    private static String byInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
    }

    @Test
    void isoWritesWhatInstantWrites() {
        long[] fixed = {0L, 1L, -1L, 999_999_999L, 1_000_000_000L, 1_700_000_000_000_000_000L,
            1_765_000_000_120_000_000L, 1_765_000_000_123_456_000L, 1_765_000_000_123_456_789L,
            1_765_000_020_000_000_000L, 951_782_400_000_000_000L /* 2000-02-29 */, Long.MAX_VALUE, Long.MIN_VALUE,
            -86_400_000_000_000L};
        for (long epochNanos : fixed) {
            assertEquals(byInstant(epochNanos), EpochClock.iso(epochNanos), "at " + epochNanos);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long epochNanos = random.nextLong();
            // Whole seconds, milliseconds and microseconds too, which shorten the fraction.
            switch (i % 4) {
                case 1: epochNanos -= Math.floorMod(epochNanos, 1_000_000_000L); break;
                case 2: epochNanos -= Math.floorMod(epochNanos, 1_000_000L); break;
                case 3: epochNanos -= Math.floorMod(epochNanos, 1_000L); break;
                default: break;
            }
            assertEquals(byInstant(epochNanos), EpochClock.iso(epochNanos), "at " + epochNanos);
        }
    }
}
