package dev.voicetrace.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionSamplerTest {

    private static final int SESSIONS = 10_000;

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.1, 0.25, 0.5, 0.9})
    void theKeptShareOfGeneratedSessionsIsWithinTwoPercentOfTheRate(double rate) {
        SessionSampler sampler = new SessionSampler(rate, false);
        Random random = new Random(Double.doubleToLongBits(rate));
        int keptRandom = 0;
        int keptSequential = 0;
        for (int i = 0; i < SESSIONS; i++) {
            if (sampler.keeps(new UUID(random.nextLong(), random.nextLong()).toString())) {
                keptRandom++;
            }
            // Ids that differ only in their last characters, as an application's counters make them.
            if (sampler.keeps("call-" + i)) {
                keptSequential++;
            }
        }
        assertEquals(rate, keptRandom / (double) SESSIONS, 0.02, "random ids");
        assertEquals(rate, keptSequential / (double) SESSIONS, 0.02, "sequential ids");
    }

    @Test
    void theDecisionDependsOnTheSessionIdAloneAndIsTheSameInEveryJvm() {
        // FNV-1a and the mixing step are fixed arithmetic on the id's UTF-8 bytes: these values hold
        // in every JVM (the agent-it sampling test checks two JVMs against each other as well).
        assertEquals(SessionSampler.fraction("call-42"), SessionSampler.fraction(new String("call-42")));
        assertEquals(0.0, Math.abs(SessionSampler.fraction("call-42") - SessionSampler.fraction("call-42")));
        SessionSampler half = new SessionSampler(0.5, false);
        for (int i = 0; i < 100; i++) {
            assertEquals(half.keeps("s-" + i), new SessionSampler(0.5, true).keeps("s-" + i));
        }
        // A session kept at a rate is kept at every higher rate: raising the rate only adds sessions.
        for (int i = 0; i < 1000; i++) {
            if (new SessionSampler(0.2, false).keeps("s-" + i)) {
                assertTrue(half.keeps("s-" + i));
            }
        }
    }

    @Test
    void theEnds() {
        assertTrue(new SessionSampler(1.0, false).keepsAll());
        assertTrue(new SessionSampler(1.0, false).keeps("anything"));
        assertFalse(new SessionSampler(0.0, false).keeps("anything"));
        assertFalse(new SessionSampler(0.999, false).keepsAll());
    }
}
