package dev.voicetrace.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
    void callsOfAVoiceTurnAreTakenAFewAtAWakeUp() {
        // The voice benchmark's turns: a transcription, a reply 2 or 90 ms later, speech 54 ms
        // after that, about 45 ms until the next transcription.
        List<Long> arrivals = new ArrayList<>();
        long at = 0;
        for (int turn = 0; turn < 100; turn++) {
            at += ms(45);
            arrivals.add(at);
            at += turn % 2 == 0 ? ms(2) : ms(90);
            arrivals.add(at);
            at += ms(54);
            arrivals.add(at);
        }
        long nap = ms(2);
        long now = 0;
        int wakeUps = 0;
        int next = 0;
        long longestWait = 0;
        while (next < arrivals.size()) {
            now += nap;
            wakeUps++;
            int found = 0;
            while (next < arrivals.size() && arrivals.get(next) <= now) {
                longestWait = Math.max(longestWait, now - arrivals.get(next));
                next++;
                found++;
            }
            nap = Pipeline.nextNap(nap, found);
        }
        assertTrue(wakeUps < arrivals.size() / 2, wakeUps + " wake-ups for " + arrivals.size() + " calls");
        assertTrue(longestWait <= ms(200), "no call waits longer than the longest nap: " + longestWait);
    }

    @Test
    void withNothingArrivingNapsDoubleUpToTheIdleOne() {
        assertEquals(ms(100), Pipeline.nextNap(ms(50), 0));
        assertEquals(ms(200), Pipeline.nextNap(ms(200), 0));
        assertEquals(ms(200), Pipeline.nextNap(ms(200), 1), "a call after a quiet spell");
        assertEquals(ms(100), Pipeline.nextNap(ms(200), 4), "a few calls after a quiet spell");
    }
}
