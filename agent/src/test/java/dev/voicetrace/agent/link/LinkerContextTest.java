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

    @Test
    void aCallWhoseContextCameFromThePreviousTurnJoinsTheTurnWhoseOutputItConsumed() {
        LinkedObservation heard2 = linker.link(anchored(stt("Book a table.", 0, 300), "call-a", 2)).observation;
        linker.link(anchored(llm("Book a table.", "For how many?", 400, 900), "call-a", 2));
        linker.link(anchored(tts("For how many?", 950, 1400), "call-a", 2));
        LinkedObservation heard3 = linker.link(anchored(stt("Four people.", 1500, 1800), "call-a", 3)).observation;

        // The continuation that asks the model was registered after the transcription had
        // finished, so it ran with the context of the thread registering it: turn 2's.
        LinkedObservation model = linker.link(anchored(llm("Four people.", "Booked for four.", 1810, 2300),
                "call-a", 2)).observation;
        LinkedObservation speech = linker.link(anchored(tts("Booked for four.", 2310, 2800), "call-a", 2))
                .observation;

        assertSame(heard3.turn, model.turn);
        assertEquals(heard3.spanId, model.linkedFromSpanId);
        assertEquals("content", model.linkedBy);
        assertSame(heard3.turn, speech.turn);
        assertEquals(model.spanId, speech.linkedFromSpanId);
        assertEquals(3, heard3.turn.observations().size(), "transcription, model and speech of turn 3");
        assertFalse(heard2.turn.observations().contains(model));
    }

    @Test
    void aCallOfTheEarlierTurnStillRunningWhenTheCallerSpokeAgainKeepsItsContextsTurn() {
        LinkedObservation heard2 = linker.link(anchored(stt("Yes.", 0, 300), "call-a", 2)).observation;
        // The caller says the same word again while the model is still answering turn 2.
        LinkedObservation heard3 = linker.link(anchored(stt("Yes.", 500, 800), "call-a", 3)).observation;
        LinkedObservation model = linker.link(anchored(llm("Yes.", "Great, booked.", 400, 1200), "call-a", 2))
                .observation;

        assertSame(heard2.turn, model.turn, "it started before turn 3's transcript existed");
        assertFalse(heard3.turn.observations().contains(model));
    }

    @Test
    void withoutContextTheHistoryPicksWhichSessionsIdenticalWordsTheModelWasAsked() {
        linker.link(inSession(stt("I lost my card.", 0, 300), "call-a"));
        linker.link(inSession(llm("I lost my card.", "I have blocked it.", 400, 900), "call-a"));
        linker.link(inSession(stt("My flight is late.", 10, 310), "call-b"));
        linker.link(inSession(llm("My flight is late.", "I am sorry to hear that.", 410, 910), "call-b"));
        LinkedObservation yesA = linker.link(inSession(stt("Yes, please.", 1000, 1300), "call-a")).observation;
        linker.link(inSession(stt("Yes, please.", 1010, 1310), "call-b"));

        // No context reached the model call: only its text and its history say whose it is.
        StageRecord asked = llm("Yes, please.", "A new card is on its way.", 1400, 1900);
        asked.historyTexts = java.util.Arrays.asList("I lost my card.", "I have blocked it.", "Yes, please.");
        LinkedObservation model = linker.link(asked).observation;

        assertSame(yesA.turn, model.turn, "call-a's conversation, though call-b said the words last");
        assertEquals("call-a", model.sessionId);
        assertFalse(model.linkFacts.containsKey("link_ambiguous"));
    }
}
