package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.inSession;
import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.voicetrace.agent.model.StageRecord;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Linking with the context that followed the work across threads (session id, turn anchor) and
 * without it: the context wins over text, text alone picks the most recent match and says when
 * another session said the same words.
 */
class LinkerContextTest {

    private final Linker linker = new Linker(new SequentialIds(), "default-session", TimeUnit.SECONDS.toNanos(30));

    private static StageRecord anchored(StageRecord record, String session, long anchor) {
        inSession(record, session);
        record.contextTurnAnchor = anchor;
        return record;
    }

    @Test
    void identicalUtterancesInTwoSessionsStayInTheirOwnTurnsWhenTheContextNamesTheSession() {
        LinkedObservation a = linker.link(anchored(stt("Yes, please.", 0, 300), "call-a", 1)).observation;
        LinkedObservation b = linker.link(anchored(stt("Yes, please.", 10, 310), "call-b", 2)).observation;

        LinkedObservation llmA = linker.link(inSession(llm("Yes, please.", "Booked for A.", 400, 900), "call-a"))
                .observation;
        LinkedObservation llmB = linker.link(inSession(llm("Yes, please.", "Booked for B.", 410, 910), "call-b"))
                .observation;

        assertSame(a.turn, llmA.turn);
        assertSame(b.turn, llmB.turn);
        assertEquals(a.spanId, llmA.linkedFromSpanId);
        assertEquals(b.spanId, llmB.linkedFromSpanId);
        assertFalse(llmA.linkFacts.containsKey("link_ambiguous"));
    }

    @Test
    void withoutContextTheMostRecentMatchWinsAndTheAmbiguityIsMarked() {
        linker.link(inSession(stt("Yes, please.", 0, 300), "call-a"));
        LinkedObservation b = linker.link(inSession(stt("Yes, please.", 10, 310), "call-b")).observation;

        LinkedObservation orphan = linker.link(llm("Yes, please.", "Booked.", 400, 900)).observation;

        assertSame(b.turn, orphan.turn, "the most recent transcript wins");
        assertEquals("call-b", orphan.sessionId);
        assertEquals("true", orphan.linkFacts.get("link_ambiguous"));
    }

    @Test
    void aTextSaidInOnlyOneSessionIsNotAmbiguous() {
        LinkedObservation a = linker.link(inSession(stt("Move my booking to Friday.", 0, 300), "call-a")).observation;
        linker.link(inSession(stt("Cancel everything.", 10, 310), "call-b"));

        LinkedObservation orphan = linker.link(llm("Move my booking to Friday.", "Done.", 400, 900)).observation;

        assertSame(a.turn, orphan.turn);
        assertFalse(orphan.linkFacts.containsKey("link_ambiguous"));
    }

    @Test
    void aCallMadeInATurnsContextJoinsThatTurnEvenWhenItsTextMatchesNothing() {
        LinkedObservation heard = linker.link(anchored(stt("What's my balance?", 0, 300), "call-a", 7)).observation;

        // The application rephrased the transcript before prompting the model.
        LinkedObservation model = linker.link(anchored(llm("User asks: balance", "You have 40 euros.", 400, 900),
                "call-a", 7)).observation;

        assertSame(heard.turn, model.turn);
        assertEquals(heard.spanId, model.linkedFromSpanId);
        assertEquals("context", model.linkedBy);
    }

    @Test
    void speechOfASentenceThatArrivesBeforeItsStreamingReplyJoinsTheAnchoredTurn() {
        LinkedObservation heard = linker.link(anchored(stt("Book a table.", 0, 300), null, 9)).observation;

        // The first sentence is spoken while the reply still streams: its record comes first.
        LinkedObservation early = linker.link(anchored(tts("Sure, for how many?", 500, 700), null, 9)).observation;
        LinkedObservation model = linker.link(anchored(llm("Book a table.", "Sure, for how many? I can book now.",
                400, 800), null, 9)).observation;
        LinkedObservation late = linker.link(anchored(tts("I can book now.", 810, 900), null, 9)).observation;

        assertSame(heard.turn, early.turn);
        assertSame(heard.turn, model.turn);
        assertSame(heard.turn, late.turn);
        assertNull(early.linkedFromSpanId, "the reply it came from was not known yet");
        assertEquals(model.spanId, late.linkedFromSpanId);
        assertEquals("content", late.linkedBy);
    }

    @Test
    void anAnchorOfAnotherSessionIsNotFollowed() {
        linker.link(anchored(stt("Hello there.", 0, 300), "call-a", 3));

        LinkedObservation other = linker.link(anchored(llm("Unrelated", "Reply.", 400, 900), "call-b", 3))
                .observation;

        assertEquals("call-b", other.sessionId);
        assertEquals("call-b", other.turn.sessionId);
    }

    @Test
    void theAnchorCarriesTheSessionWhenTheContextHasNoSessionId() {
        LinkedObservation heard = linker.link(anchored(stt("Good morning.", 0, 300), "conversation-1", 5)).observation;

        LinkedObservation model = linker.link(anchored(llm("Something else", "Morning!", 400, 900), null, 5))
                .observation;

        assertEquals("conversation-1", model.sessionId);
        assertSame(heard.turn, model.turn);
    }
}
