package dev.voicetrace.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The processing thread's naps follow how fast calls arrive. */
class PipelineNapTest {

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void manyCallsKeepNapsShortSoThatWorkIsSpreadThin() {
        assertEquals(ms(2), Pipeline.nextNap(ms(2), 6), "thousands of calls a second");
        assertEquals(ms(2), Pipeline.nextNap(ms(200), 400), "a burst after a quiet spell");
        assertEquals(ms(5), Pipeline.nextNap(ms(20), 8));
    }

    @Test
    void callsTensOfMillisecondsApartAreTakenAboutOneWakeUpEach() {
        long nap = ms(2);
        int wakeUps = 0;
        // A voice call every 50 ms, one wake-up finding it or not.
        for (int call = 0; call < 40; call++) {
            long waited = 0;
            do {
                waited += nap;
                wakeUps++;
                nap = Pipeline.nextNap(nap, waited >= ms(50) ? 1 : 0);
            } while (waited < ms(50));
        }
        assertEquals(ms(50), nap);
        assertEquals(true, wakeUps < 60, "some 40 wake-ups for 40 calls, not 200: " + wakeUps);
    }

    @Test
    void withNothingArrivingNapsDoubleUpToTheIdleOne() {
        assertEquals(ms(100), Pipeline.nextNap(ms(50), 0));
        assertEquals(ms(200), Pipeline.nextNap(ms(200), 0));
        assertEquals(ms(50), Pipeline.nextNap(ms(200), 1), "a call after a quiet spell");
    }
}
