package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.inSession;
import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageKind;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LinkerTest {

    private static final long IDLE = TimeUnit.SECONDS.toNanos(30);

    private final Linker linker = new Linker(new SequentialIds(), "default-session", IDLE);

    @Test
    void transcriptOpensTheFirstTurnOfTheDefaultSession() {
        Linker.Result result = linker.link(stt("What time do you open tomorrow?", 0, 400));

        LinkedObservation observation = result.observation;
        assertTrue(result.closedTurns.isEmpty());
        assertEquals("default-session", observation.sessionId);
        assertEquals(1, observation.turn.index);
        assertEquals("default-session", observation.turn.sessionId);
        assertNull(observation.linkedFromSpanId);
        assertNull(observation.linkedBy);
        assertFalse(observation.turn.isClosed());
        assertEquals(32, observation.turn.traceId.length());
        assertEquals(16, observation.spanId.length());
        assertNotEquals(observation.turn.rootSpanId, observation.spanId);
        assertEquals(List.of(observation), observation.turn.observations());
    }

    @Test
    void fullTurnLinksSttToLlmToTts() {
        LinkedObservation sttObs = linker.link(stt("What time do you open tomorrow?", 0, 400)).observation;
        Turn turn = sttObs.turn;

        // Same words, different case, spacing and trailing punctuation.
        Linker.Result llmResult = linker.link(llm("  what time do YOU open\ttomorrow ", "", 450, 900));
        LinkedObservation llmObs = llmResult.observation;
        assertTrue(llmResult.closedTurns.isEmpty());
        assertSame(turn, llmObs.turn);
        assertEquals(sttObs.spanId, llmObs.linkedFromSpanId);
        assertEquals("content", llmObs.linkedBy);

        // The follow-up call after a tool result still ends with the same user message.
        String reply = "We open at seven tomorrow. Fresh croissants are ready by eight!";
        LinkedObservation followUp = linker.link(llm("What time do you open tomorrow?", reply, 1000, 1500))
                .observation;
        assertSame(turn, followUp.turn);
        assertEquals(sttObs.spanId, followUp.linkedFromSpanId);

        // The reply is spoken sentence by sentence.
        LinkedObservation firstSentence = linker.link(tts("We open at seven tomorrow.", 1550, 2500)).observation;
        LinkedObservation secondSentence = linker.link(tts("fresh croissants are ready by eight", 2500, 3200))
                .observation;
        assertSame(turn, firstSentence.turn);
        assertSame(turn, secondSentence.turn);
        assertEquals(followUp.spanId, firstSentence.linkedFromSpanId);
        assertEquals(followUp.spanId, secondSentence.linkedFromSpanId);
        assertEquals("content", secondSentence.linkedBy);

        assertEquals(5, turn.observations().size());
        assertFalse(turn.isClosed());
        assertEquals("What time do you open tomorrow?", turn.userText());
        assertEquals(reply, turn.replyText());
        assertEquals(T0, turn.startEpochNanos());
        assertEquals(T0 + ms(3200), turn.endEpochNanos());
    }

    @Test
    void speechOfTheWholeReplyLinksToTheModelCall() {
        linker.link(stt("Tell me a joke", 0, 300));
        LinkedObservation llmObs = linker.link(llm("Tell me a joke.", "Why did the chicken cross the road? To get"
                + " to the other side!", 350, 900)).observation;
        LinkedObservation ttsObs = linker.link(tts("Why did the chicken cross the road?  To get to the other side!",
                950, 2000)).observation;
        assertSame(llmObs.turn, ttsObs.turn);
        assertEquals(llmObs.spanId, ttsObs.linkedFromSpanId);
    }

    @Test
    void nextTranscriptClosesThePreviousTurn() {
        Turn first = linker.link(stt("Hello", 0, 300)).observation.turn;
        linker.link(llm("hello", "Hi! How can I help?", 350, 800));

        Linker.Result second = linker.link(stt("Book a table for two", 5000, 5400));

        assertEquals(List.of(first), second.closedTurns);
        assertTrue(first.isClosed());
        Turn next = second.observation.turn;
        assertNotEquals(first.traceId, next.traceId);
        assertEquals(2, next.index);
        assertFalse(next.isClosed());
        assertEquals("default-session", next.sessionId);
    }

    @Test
    void modelCallMatchingNothingOpensItsOwnTurn() {
        Turn voiceTurn = linker.link(stt("Hello", 0, 300)).observation.turn;

        Linker.Result unrelated = linker.link(llm("Summarise this document", "It is about otters.", 400, 900));

        LinkedObservation observation = unrelated.observation;
        assertNotEquals(voiceTurn.traceId, observation.turn.traceId);
        assertNull(observation.linkedFromSpanId);
        assertNull(observation.linkedBy);
        assertEquals("default-session", observation.sessionId);
        assertEquals(2, observation.turn.index);
        assertTrue(unrelated.closedTurns.isEmpty(), "an unrelated call does not end the voice turn");
        assertFalse(voiceTurn.isClosed());
        assertEquals("Summarise this document", observation.turn.userText());

        List<Turn> closedByNextUtterance = linker.link(stt("Goodbye", 1000, 1300)).closedTurns;
        assertEquals(List.of(voiceTurn, observation.turn), closedByNextUtterance, "a new utterance ends them both");
    }

    @Test
    void aSessionKeepsAFewOpenTurnsAtMostClosingTheOldest() {
        List<Turn> opened = new java.util.ArrayList<>();
        List<Turn> closed = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Linker.Result result = linker.link(llm("Unrelated question " + i, "Answer " + i, i * 100, i * 100 + 50));
            opened.add(result.observation.turn);
            closed.addAll(result.closedTurns);
        }
        assertEquals(opened.subList(0, 2), closed, "beyond eight open turns the oldest ones close");
        assertFalse(opened.get(9).isClosed());
    }

    @Test
    void speechMatchingNoReplyOpensItsOwnTurn() {
        LinkedObservation observation = linker.link(tts("Your order is ready.", 0, 900)).observation;
        assertNull(observation.linkedFromSpanId);
        assertEquals(1, observation.turn.index);
    }

    @Test
    void contextSessionIdWinsOverTheDefault() {
        LinkedObservation sttObs = linker.link(inSession(stt("I need a taxi", 0, 300), "call-42")).observation;
        assertEquals("call-42", sttObs.sessionId);
        assertEquals("call-42", sttObs.turn.sessionId);

        // The model call ran on a thread without the context: it inherits the transcript's session.
        LinkedObservation llmObs = linker.link(llm("I need a taxi", "Where to?", 350, 700)).observation;
        assertEquals("call-42", llmObs.sessionId);
        assertSame(sttObs.turn, llmObs.turn);

        // Nothing to link to, no context: the default session.
        assertEquals("default-session", linker.link(llm("unrelated", "ok", 800, 900)).observation.sessionId);
    }

    @Test
    void sessionsWithDifferentContextIdsDoNotShareTurns() {
        LinkedObservation sttA = linker.link(inSession(stt("Yes, please.", 0, 300), "call-A")).observation;
        LinkedObservation sttB = linker.link(inSession(stt("yes,  please!", 100, 350), "call-B")).observation;
        assertNotEquals(sttA.turn.traceId, sttB.turn.traceId);
        assertEquals(1, sttA.turn.index);
        assertEquals(1, sttB.turn.index, "turns are numbered per session");

        // Both callers said the same words; each model call must stay in its own caller's turn.
        LinkedObservation llmA = linker.link(inSession(llm("Yes, please", "Booked for A.", 400, 800), "call-A"))
                .observation;
        LinkedObservation llmB = linker.link(inSession(llm("YES, PLEASE.", "Booked for B.", 420, 820), "call-B"))
                .observation;

        assertEquals("call-A", llmA.sessionId);
        assertEquals("call-B", llmB.sessionId);
        assertSame(sttA.turn, llmA.turn);
        assertSame(sttB.turn, llmB.turn);
        assertEquals(sttA.spanId, llmA.linkedFromSpanId);
        assertEquals(sttB.spanId, llmB.linkedFromSpanId);
        assertFalse(sttA.turn.isClosed());
        assertFalse(sttB.turn.isClosed());
    }

    @Test
    void modelCallWithAnotherSessionsContextDoesNotJoinThatSessionsTurn() {
        LinkedObservation sttA = linker.link(inSession(stt("Cancel my order", 0, 300), "call-A")).observation;
        LinkedObservation llmB = linker.link(inSession(llm("cancel my order", "Done.", 400, 800), "call-B"))
                .observation;
        assertEquals("call-B", llmB.sessionId);
        assertNotEquals(sttA.turn.traceId, llmB.turn.traceId);
        assertNull(llmB.linkedFromSpanId);
        assertFalse(sttA.turn.isClosed(), "another session's call does not close this session's turn");
    }

    @Test
    void closeIdleClosesOnlyTurnsIdleLongerThanTheConfiguredTime() {
        Turn early = linker.link(inSession(stt("First caller", 0, 1000), "call-1")).observation.turn;
        Turn late = linker.link(inSession(stt("Second caller", 20_000, 21_000), "call-2")).observation.turn;

        assertTrue(linker.closeIdle(T0 + ms(1000) + IDLE).isEmpty(), "exactly the idle time is not longer");
        List<Turn> closed = linker.closeIdle(T0 + ms(1000) + IDLE + ms(1));
        assertEquals(List.of(early), closed);
        assertTrue(early.isClosed());
        assertFalse(late.isClosed());

        assertTrue(linker.closeIdle(T0 + ms(1000) + IDLE + ms(2)).isEmpty(), "a closed turn is not closed twice");
        assertEquals(List.of(late), linker.closeIdle(T0 + ms(21_000) + IDLE + ms(1)));
    }

    @Test
    void activityKeepsATurnOpen() {
        Turn turn = linker.link(stt("Hello", 0, 300)).observation.turn;
        linker.link(llm("hello", "Hi there!", 25_000, 26_000));
        assertTrue(linker.closeIdle(T0 + ms(300) + IDLE + ms(1)).isEmpty(), "the model call was later activity");
        assertFalse(turn.isClosed());
    }

    @Test
    void closeAllClosesEveryOpenTurn() {
        Turn a = linker.link(inSession(stt("one", 0, 100), "s1")).observation.turn;
        Turn b = linker.link(inSession(stt("two", 0, 100), "s2")).observation.turn;
        Turn c = linker.link(llm("three", "3", 0, 100)).observation.turn;

        List<Turn> closed = linker.closeAll();
        assertEquals(3, closed.size());
        assertTrue(closed.containsAll(List.of(a, b, c)));
        assertTrue(a.isClosed() && b.isClosed() && c.isClosed());
        assertTrue(linker.closeAll().isEmpty());
    }

    @Test
    void turnFirstAndLastByKind() {
        linker.link(stt("Weather in Paris?", 0, 300));
        linker.link(llm("weather in paris", "", 350, 600));
        Turn turn = linker.link(llm("weather in paris", "Sunny, 24 degrees.", 700, 1000)).observation.turn;
        assertEquals("", turn.first(StageKind.LLM).outputText);
        assertEquals("Sunny, 24 degrees.", turn.last(StageKind.LLM).outputText);
        assertNull(turn.first(StageKind.TTS));
    }

    @Test
    void textKeyNormalisation() {
        assertEquals("what time is it", TextKey.of("  \"What   time is it?!\" "));
        assertEquals(TextKey.of("Café"), TextKey.of("Cafe\u0301"), "composed and decomposed accents match");
        assertNull(TextKey.of(" ... "));
        assertEquals(TextKey.of("Yes please"), TextKey.of("Yes, please."), "inner punctuation does not matter");
        assertEquals("well yes", TextKey.of("well,yes"));
        assertEquals("don't pay 1,000 or 3.5 e-mails", TextKey.of("Don't pay 1,000 — or 3.5 e-mails!"));
        assertNull(TextKey.of(null));
        assertEquals(List.of("we open at seven", "see you soon", "3.5 stars"),
                TextKey.sentences("We open at seven. See you soon!\n3.5 stars"));
    }
}
