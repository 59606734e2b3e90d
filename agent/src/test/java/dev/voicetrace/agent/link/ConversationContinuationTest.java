package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A conversation whose application names no session, and whose turns each start without the
 * context of the one before (every transcription generates a session of its own): the model
 * call's history names the conversation, and the turn joins its session before it is exported.
 */
class ConversationContinuationTest {

    private final Linker linker = new Linker(new SequentialIds(), "jvm-default", TimeUnit.SECONDS.toNanos(30));
    /** Everything the pipeline would export, in order: observations as released, then closed turns' roots. */
    private final List<LinkedObservation> exported = new ArrayList<>();
    private final List<Turn> closedTurns = new ArrayList<>();
    private long clock;

    /** One turn: a transcription in a freshly generated session, the model call, the speech, no context between. */
    private Turn turn(String generatedSession, String heard, String reply, List<String> history) {
        StageRecord transcription = stt(heard, clock, clock + 300);
        transcription.contextSessionId = generatedSession;
        transcription.contextSessionGenerated = true;
        link(transcription);
        StageRecord model = llm(heard, reply, clock + 400, clock + 900);
        model.historyTexts = new ArrayList<>(history);
        Turn turn = link(model).observation.turn;
        link(tts(reply, clock + 950, clock + 1500));
        clock += 5000;
        return turn;
    }

    private Linker.Result link(StageRecord record) {
        Linker.Result result = linker.link(record);
        closedTurns.addAll(result.closedTurns);
        for (Turn closed : result.closedTurns) {
            exported.addAll(closed.settle());
        }
        exported.addAll(result.ready);
        return result;
    }

    @Test
    void laterTurnsJoinTheSessionOfTheTurnsTheirHistoryHolds() {
        List<String> history = new ArrayList<>();
        Turn first = turn("conversation-a", "Hi, is the shop open today?", "Yes, until six.", history);
        history.add("Hi, is the shop open today?");
        history.add("Yes, until six.");
        Turn second = turn("conversation-b", "Do you sell bread?", "We bake it every morning.", history);
        history.add("Do you sell bread?");
        history.add("We bake it every morning.");
        Turn third = turn("conversation-c", "Great, thanks.", "You're welcome.", history);

        assertEquals("conversation-a", first.sessionId);
        assertEquals("conversation-a", second.sessionId, "the history holds turn 1");
        assertEquals("conversation-a", third.sessionId);
        assertEquals(List.of(1, 2, 3), List.of(first.index, second.index, third.index));
        for (LinkedObservation observation : exported) {
            assertEquals("conversation-a", observation.sessionId, "no observation left with a generated session");
        }
        assertEquals(9, exported.size(), "every observation exported once");
        assertEquals(new HashSet<>(exported).size(), exported.size());
        assertTrue(closedTurns.contains(first) && closedTurns.contains(second), "a new utterance closes the one before");
        assertEquals("history", second.observations().get(1).linkFacts.get("session_joined_by"));
    }

    @Test
    void aHeldTurnExportsNothingUntilItsSessionIsKnown() {
        StageRecord transcription = stt("Where is my order?", 0, 300);
        transcription.contextSessionId = "conversation-x";
        transcription.contextSessionGenerated = true;
        Linker.Result heard = linker.link(transcription);
        assertTrue(heard.ready.isEmpty(), "the transcription waits for its session");
        assertTrue(heard.observation.turn.isHolding());

        List<Turn> closed = linker.closeAll();
        assertEquals(1, closed.size());
        List<LinkedObservation> released = closed.get(0).settle();
        assertEquals(List.of(heard.observation), released, "released when the turn closes at the latest");
        assertEquals("conversation-x", released.get(0).sessionId);
    }

    @Test
    void callsThatShareNoHistoryKeepTheirOwnSessions() {
        Turn first = turn("conversation-a", "Hi, is the shop open today?", "Yes, until six.", List.of());
        Turn second = turn("conversation-b", "Do you sell bread?", "We bake it every morning.", List.of());
        assertEquals("conversation-a", first.sessionId);
        assertEquals("conversation-b", second.sessionId);
        assertNull(second.observations().get(1).linkFacts.get("session_joined_by"));
    }

    @Test
    void twoConversationsThatSaidTheSameWordsAreToldApartByTheRestOfTheirHistory() {
        Turn aliceOne = turn("gen-a1", "Hello.", "Hi, how can I help?", List.of());
        Turn bobOne = turn("gen-b1", "Hello.", "Hi, how can I help?", List.of());
        Turn aliceTwo = turn("gen-a2", "I need a taxi.", "Where to?",
                List.of("Hello.", "Hi, how can I help?"));
        assertNotEquals(aliceOne.sessionId, aliceTwo.sessionId, "identical history: nothing is merged");
        assertEquals("history matches 2 conversations",
                aliceTwo.observations().get(1).linkFacts.get("session_not_joined"));
        Turn bobTwo = turn("gen-b2", "Book a table.", "For how many?",
                List.of("Hello.", "Hi, how can I help?"));
        assertNotEquals(bobOne.sessionId, bobTwo.sessionId);

        Turn aliceThree = turn("gen-a3", "To the airport.", "Booked.",
                List.of("Hello.", "Hi, how can I help?", "I need a taxi.", "Where to?"));
        assertEquals("gen-a2", aliceThree.sessionId, "the taxi is only in Alice's second turn's session");
        Turn bobThree = turn("gen-b3", "Four.", "Done.",
                List.of("Hello.", "Hi, how can I help?", "Book a table.", "For how many?"));
        assertEquals("gen-b2", bobThree.sessionId);
        assertFalse(aliceThree.sessionId.equals(bobThree.sessionId));
    }

    @Test
    void laterStagesCarryingTheGeneratedIdFollowTheTurnIntoItsSession() {
        List<String> history = new ArrayList<>();
        turn("conversation-a", "Is it raining?", "No, it's sunny.", history);
        history.add("Is it raining?");
        history.add("No, it's sunny.");
        Turn second = turn("conversation-b", "Then I'll walk.", "Enjoy the walk.", history);
        // A late sentence spoken in the context of turn 2, which still names the generated id.
        StageRecord late = tts("Enjoy the walk.", clock, clock + 200);
        late.contextSessionId = "conversation-b";
        Linker.Result result = link(late);
        assertEquals("conversation-a", result.observation.sessionId);
        assertEquals(second, result.observation.turn);
    }

    @Test
    void aSessionFromTheApplicationIsNeverMoved() {
        StageRecord transcription = stt("Hello again.", 0, 300);
        transcription.contextSessionId = "call-42";
        Linker.Result heard = linker.link(transcription);
        assertFalse(heard.observation.turn.isHolding(), "only generated sessions wait");
        assertEquals(1, heard.ready.size());
        Set<String> sessions = new HashSet<>();
        sessions.add(heard.observation.sessionId);
        assertEquals(Set.of("call-42"), sessions);
    }
}
