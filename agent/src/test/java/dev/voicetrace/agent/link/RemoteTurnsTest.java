package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.inSession;
import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Turns whose ids travel: fixed at the transcription in one JVM, joined by calls in another. */
class RemoteTurnsTest {

    private static final long IDLE = TimeUnit.SECONDS.toNanos(30);

    private final Linker gateway = new Linker(new SequentialIds(), "gateway-default", IDLE);
    private final Linker dialogue = new Linker(new SequentialIds(), "dialogue-default", IDLE);

    private static StageRecord withTurn(StageRecord record, TurnIdentity turn, long anchor) {
        record.contextTurn = turn;
        record.contextTurnAnchor = anchor;
        return record;
    }

    @Test
    void aTranscriptionKeepsTheIdsFixedAtItsStart() {
        TurnIdentity turn = TurnIdentity.local(null, null);
        LinkedObservation heard = gateway.link(withTurn(inSession(stt("Book a table for two", 0, 300), "call-1"),
                turn, 1)).observation;

        assertEquals(turn.traceId, heard.turn.traceId);
        assertEquals(turn.spanId, heard.turn.rootSpanId);
        assertEquals(turn.openerSpanId, heard.spanId);
        assertFalse(heard.turn.remote);
        assertNull(heard.turn.parentSpanId);

        TurnIdentity insideOtel = TurnIdentity.local("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        LinkedObservation next = gateway.link(withTurn(inSession(stt("At eight", 1000, 1300), "call-1"),
                insideOtel, 2)).observation;
        assertEquals("00f067aa0ba902b7", next.turn.parentSpanId, "the turn root hangs under the application's span");
    }

    @Test
    void aCallWhoseUtteranceLeftNoTranscriptionTakesTheIdsFixedForItsTurnOnce() {
        // A socket's utterance ended (its ids fixed, perhaps already sent with a request) but no
        // transcription of it was recorded: the model call it led to opens the turn with those ids.
        TurnIdentity fixed = TurnIdentity.local(null, null);
        LinkedObservation reply = gateway.link(withTurn(inSession(llm("Book a table for two", "For when?", 0, 300),
                "call-1"), fixed, 7)).observation;
        assertEquals(fixed.traceId, reply.turn.traceId);
        assertEquals(fixed.spanId, reply.turn.rootSpanId);

        LinkedObservation summary = gateway.link(withTurn(inSession(llm("Summarise the call", "A booking.", 310, 400),
                "call-1"), fixed, 7)).observation;
        assertSame(reply.turn, summary.turn, "a second call in that context joins the turn with those ids");

        gateway.link(withTurn(inSession(stt("At eight", 1000, 1300), "call-1"), TurnIdentity.local(null, null), 8));
        LinkedObservation late = gateway.link(withTurn(inSession(llm("Anything else?", "No.", 1400, 1500),
                "call-1"), fixed, 7)).observation;
        assertNotSame(reply.turn, late.turn);
        assertFalse(late.turn.traceId.equals(fixed.traceId), "a closed turn's ids never get a second root");
    }

    @Test
    void callsForAnotherServicesTurnJoinItWithoutARootOfTheirOwn() {
        TurnIdentity opened = TurnIdentity.local(null, null);
        TurnIdentity arrived = TurnIdentity.remote(opened.traceId, opened.spanId, opened.openerSpanId);

        Linker.Result model = dialogue.link(withTurn(inSession(llm("Book a table for two", "Done. Eight o'clock.",
                320, 700), "call-1"), arrived, 0));
        LinkedObservation answer = model.observation;
        assertEquals(List.of(answer), model.ready, "exported at once: nothing to settle");
        assertTrue(answer.turn.remote);
        assertEquals(opened.traceId, answer.turn.traceId);
        assertEquals(opened.spanId, answer.turn.rootSpanId, "parented to the caller's turn root");
        assertEquals(opened.openerSpanId, answer.linkedFromSpanId, "linked from the caller's transcription");
        assertEquals("call-1", answer.sessionId);

        LinkedObservation spoken = dialogue.link(withTurn(inSession(tts("Done.", 710, 800), "call-1"), arrived, 0))
                .observation;
        assertSame(answer.turn, spoken.turn);
        assertEquals(answer.spanId, spoken.linkedFromSpanId);

        // Another turn of the same caller, and the same words from another caller, stay apart.
        TurnIdentity second = TurnIdentity.remote(TurnIdentity.local(null, null).traceId, opened.spanId, null);
        LinkedObservation other = dialogue.link(withTurn(inSession(llm("Book a table for two", "Sure.", 900, 950),
                "call-2"), second, 0)).observation;
        assertNotSame(answer.turn, other.turn);
        assertEquals("call-2", other.sessionId);

        List<Turn> closed = dialogue.closeAll();
        assertEquals(2, closed.size());
        for (Turn turn : closed) {
            assertTrue(turn.remote && turn.isClosed());
        }
        assertTrue(dialogue.closeAll().isEmpty());
    }

    @Test
    void idleRemoteTurnsAreClosed() {
        TurnIdentity arrived = TurnIdentity.remote(TurnIdentity.local(null, null).traceId, "1111111111111111", null);
        dialogue.link(withTurn(llm("Hello", "Hi", 0, 100), arrived, 0));
        assertTrue(dialogue.closeIdle(Records.T0 + Records.ms(100) + IDLE / 2).isEmpty());
        List<Turn> closed = dialogue.closeIdle(Records.T0 + Records.ms(100) + IDLE + 1);
        assertEquals(1, closed.size());
        assertEquals("dialogue-default", closed.get(0).sessionId);
    }
}
