package dev.voicetrace.agent.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hand-over rules the JDK advice relies on, called directly as the advice calls them. */
class ContextPropagationTest {

    @BeforeEach
    void enable() {
        ContextPropagation.enable("sessionId");
        TraceContext.set(null);
    }

    @AfterEach
    void reset() {
        TraceContext.set(null);
        ContextPropagation.disable();
    }

    @Test
    void workRunsWithTheContextItWasHandedOverWithAndTheThreadGetsItsOwnBack() {
        TraceContext submitter = new TraceContext("call-1", 4);
        TraceContext.set(submitter);
        Runnable work = () -> { };
        ContextPropagation.capture(work);

        TraceContext worker = new TraceContext("call-2", 9);
        TraceContext.set(worker);
        Object token = ContextPropagation.enterTask(work);
        assertSame(submitter, TraceContext.current());
        ContextPropagation.exitTask(token);
        assertSame(worker, TraceContext.current());
    }

    @Test
    void workHandedOverWithoutContextRunsWithoutOneOnAThreadThatHasOne() {
        Runnable work = () -> { };
        ContextPropagation.capture(work);
        TraceContext.set(new TraceContext("leftover", 1));

        Object token = ContextPropagation.enterTask(work);
        assertNull(TraceContext.current(), "no conversation leaks into unrelated work");
        ContextPropagation.exitTask(token);
        assertEquals("leftover", TraceContext.current().sessionId);
    }

    @Test
    void theLatestHandOverWins() {
        Runnable stage = () -> { };
        TraceContext.set(new TraceContext("call-1", 0));
        ContextPropagation.capture(stage);
        TraceContext anchored = new TraceContext("call-1", 12);
        TraceContext.set(anchored);
        ContextPropagation.capture(stage);
        TraceContext.set(null);

        ContextPropagation.enterTask(stage);
        assertSame(anchored, TraceContext.current());
    }

    @Test
    void aFutureCompletedInATurnLendsItToAStageAddedByAThreadBehindIt() {
        Object future = new Object();
        TraceContext completion = new TraceContext("call-1", 7);
        TraceContext.set(completion);
        ContextPropagation.completed(future, Boolean.TRUE);

        TraceContext earlierTurn = new TraceContext("call-1", 3);
        TraceContext.set(earlierTurn);
        Object token = ContextPropagation.addingStage(future);
        assertSame(completion, TraceContext.current());
        ContextPropagation.exitTask(token);
        assertSame(earlierTurn, TraceContext.current());

        TraceContext.set(new TraceContext("call-1", 0));
        token = ContextPropagation.addingStage(future);
        assertSame(completion, TraceContext.current(), "a thread with only the session");
        ContextPropagation.exitTask(token);

        TraceContext.set(null);
        token = ContextPropagation.addingStage(future);
        assertSame(completion, TraceContext.current(), "a thread without a context");
        ContextPropagation.exitTask(token);
        assertNull(TraceContext.current());
    }

    @Test
    void aCompletedFutureLendsNothingToAnotherSessionOrALaterTurn() {
        Object future = new Object();
        TraceContext.set(new TraceContext("call-1", 7));
        ContextPropagation.completed(future, Boolean.TRUE);

        TraceContext otherSession = new TraceContext("call-2", 2);
        TraceContext.set(otherSession);
        ContextPropagation.exitTask(ContextPropagation.addingStage(future));
        assertSame(otherSession, TraceContext.current());
        ContextPropagation.addingStage(future);
        assertSame(otherSession, TraceContext.current());

        TraceContext laterTurn = new TraceContext("call-1", 9);
        TraceContext.set(laterTurn);
        ContextPropagation.addingStage(future);
        assertSame(laterTurn, TraceContext.current());
    }

    @Test
    void onlyTheThreadThatSetTheResultInATurnIsRemembered() {
        Object lostRace = new Object();
        TraceContext.set(new TraceContext("call-1", 7));
        ContextPropagation.completed(lostRace, Boolean.FALSE);
        Object noTurn = new Object();
        TraceContext.set(new TraceContext("call-1", 0));
        ContextPropagation.completed(noTurn, Boolean.TRUE);

        TraceContext.set(null);
        ContextPropagation.addingStage(lostRace);
        assertNull(TraceContext.current(), "another thread set the result");
        ContextPropagation.addingStage(noTurn);
        assertNull(TraceContext.current(), "completed before any turn");
    }

    @Test
    void pooledWorkersKeepNoContextBetweenTasks() {
        TraceContext.set(new TraceContext("call-1", 1));
        ContextPropagation.endPooledTask();
        assertNull(TraceContext.current());
    }

    @Test
    void mdcSessionIdsStartAndEndTheThreadsContext() {
        ContextPropagation.onMdcPut("requestId", "r-1");
        assertNull(TraceContext.current(), "other MDC keys are ignored");

        ContextPropagation.onMdcPut("sessionId", "call-7");
        assertEquals("call-7", TraceContext.current().sessionId);
        assertEquals(0, TraceContext.current().turnAnchor);

        TraceContext.set(TraceContext.current().withSession("call-7"));
        ContextPropagation.onMdcPut("sessionId", "call-7");
        assertEquals("call-7", TraceContext.current().sessionId);

        ContextPropagation.onMdcRemove("requestId");
        assertEquals("call-7", TraceContext.current().sessionId);
        ContextPropagation.onMdcRemove("sessionId");
        assertNull(TraceContext.current());

        ContextPropagation.onMdcPut("sessionId", "call-8");
        ContextPropagation.onMdcRemove(null);
        assertNull(TraceContext.current(), "MDC.clear() ends it too");
    }

    @Test
    void nothingHappensWhileDisabled() {
        ContextPropagation.disable();
        TraceContext.set(new TraceContext("call-1", 1));
        Runnable work = () -> { };
        ContextPropagation.capture(work);
        TraceContext.set(null);
        ContextPropagation.enterTask(work);
        assertNull(TraceContext.current());
        ContextPropagation.onMdcPut("sessionId", "call-2");
        assertNull(TraceContext.current());
    }

    @Test
    void workThatNeverRunsDoesNotStayInMemory() throws Exception {
        TraceContext.set(new TraceContext("call-1", 1));
        int before = ContextPropagation.pendingHandOvers();
        for (int i = 0; i < 10_000; i++) {
            ContextPropagation.capture(new Object());
        }
        TraceContext.set(null);
        long deadline = System.nanoTime() + TimeUnitSeconds.FIVE;
        while (ContextPropagation.pendingHandOvers() > before + 100 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ContextPropagation.pendingHandOvers() <= before + 100,
                "hand-overs of collected work are forgotten: " + ContextPropagation.pendingHandOvers());
    }

    private static final class TimeUnitSeconds {
        static final long FIVE = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    }

    @Test
    void theUserIdAndMetadataKeysTravelWithTheSessionWhateverOrderTheyAreSetIn() {
        ContextPropagation.enable("sessionId", new String[] {"customerId", "tenant"});
        ContextPropagation.onMdcPut("customerId", "cust-1");
        ContextPropagation.onMdcPut("sessionId", "call-1");
        ContextPropagation.onMdcPut("tenant", "acme");
        ContextPropagation.onMdcPut("unrelated", "x");
        TraceContext context = TraceContext.current();
        assertEquals("call-1", context.sessionId);
        assertEquals("cust-1", context.attributes[0]);
        assertEquals("acme", context.attributes[1]);

        Runnable work = () -> { };
        ContextPropagation.capture(work);
        TraceContext.set(null);
        Object token = ContextPropagation.enterTask(work);
        assertSame(context, TraceContext.current(), "handed over with the session");
        ContextPropagation.exitTask(token);

        TraceContext.set(context);
        ContextPropagation.onMdcPut("sessionId", "call-2");
        assertEquals("call-2", TraceContext.current().sessionId);
        assertEquals("cust-1", TraceContext.current().attributes[0], "a new session keeps the user");
        ContextPropagation.onMdcRemove("tenant");
        assertNull(TraceContext.current().attributes[1]);
        ContextPropagation.onMdcRemove("sessionId");
        assertNull(TraceContext.current().sessionId);
        assertEquals("cust-1", TraceContext.current().attributes[0]);
        ContextPropagation.onMdcRemove(null);
        assertNull(TraceContext.current(), "MDC.clear() clears everything");
    }
}
