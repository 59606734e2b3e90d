package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.inSession;
import static dev.voicetrace.agent.link.Records.llm;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.link.Records.stt;
import static dev.voicetrace.agent.link.Records.tts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageRecord;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A day of a busy voice service compressed into one run on an injected clock: a million turns
 * in rotating conversations, fifty at a time. Every stage must land in its turn, and the
 * linker's state must stay within its limits however long it runs.
 */
class LinkerSoakTest {

    private static final int TURNS = 1_000_000;
    private static final int LIVE_CONVERSATIONS = 50;
    private static final int TURNS_PER_CONVERSATION = 20;
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);
    private static final int MAX_SESSIONS = 1_000;
    private static final int MAX_TEXTS = 5_000;

    @Test
    void aMillionTurnsOverADayLinkCorrectlyInBoundedState() {
        Linker linker = new Linker(new SequentialIds(), "default", TimeUnit.SECONDS.toNanos(30), MAX_SESSIONS,
                MAX_TEXTS);
        long stepMs = DAY_MS / TURNS;
        int misattributed = 0;
        int[] sessionsAt = new int[3];
        int[] textsAt = new int[3];
        int checkpoint = 0;
        for (int i = 0; i < TURNS; i++) {
            // Blocks of fifty conversations, each taking twenty turns in round robin.
            int block = i / (LIVE_CONVERSATIONS * TURNS_PER_CONVERSATION);
            String session = "call-" + (block * LIVE_CONVERSATIONS + i % LIVE_CONVERSATIONS);
            long start = i * stepMs;
            String said = "caller " + i + " asks about order " + (i % 97);
            String reply = "Order " + (i % 97) + " ships today. Reference " + i + ".";

            // Every stage carries the turn anchor its transcription put into the context.
            long anchor = i + 1L;
            Turn turn = linker.link(anchored(stt(said, start, start + 20), session, anchor)).observation.turn;
            LinkedObservation model = linker.link(anchored(llm(said, reply, start + 25, start + 60), session, anchor))
                    .observation;
            LinkedObservation speech = linker.link(anchored(tts(reply, start + 62, start + 80), session, anchor))
                    .observation;
            if (model.turn != turn || speech.turn != turn || !session.equals(speech.sessionId)) {
                misattributed++;
            }
            if (i % 1000 == 999) {
                for (Turn closed : linker.closeIdle(T0 + ms(start + 80))) {
                    closed.release();
                }
            }
            if (i == 99_999 || i == 499_999 || i == TURNS - 1) {
                sessionsAt[checkpoint] = linker.sessionCount();
                textsAt[checkpoint] = linker.indexSize();
                checkpoint++;
            }
        }

        assertEquals(0, misattributed, "every model call and speech call joined its own turn");
        for (int c = 0; c < 3; c++) {
            assertTrue(sessionsAt[c] <= MAX_SESSIONS, "sessions stay within the limit: " + sessionsAt[c]);
            // Each text is indexed under its own key and its session's key; turn anchors have their own
            // index, and so does the conversation history.
            assertTrue(textsAt[c] <= 4 * MAX_TEXTS, "indexed texts stay within the limit: " + textsAt[c]);
        }
        assertEquals(sessionsAt[0], sessionsAt[2], "flat: as many sessions after a day as after an hour or two");
        assertEquals(textsAt[0], textsAt[2], "flat: as many indexed texts after a day as after an hour or two");
        assertTrue(linker.openTurnCount() <= LIVE_CONVERSATIONS, "only the live conversations have open turns");
        assertTrue(linker.evictions() > 0, "old state was given up and counted");
        long openTurns = linker.openTurnCount();
        long evictions = linker.evictions();
        long retained = usedHeapAfterGc();
        linker = null;
        long retainedBytes = retained - usedHeapAfterGc();
        // A leak of a million turns would hold gigabytes; the bounded state holds a few megabytes.
        assertTrue(retainedBytes < 64L * 1024 * 1024, "linker holds " + retainedBytes / 1024 + " KB");
        System.out.println("LinkerSoakTest: sessions=" + sessionsAt[2] + " index entries=" + textsAt[2]
                + " open turns=" + openTurns + " evictions=" + evictions + " heap held by the linker ~"
                + retainedBytes / 1024 + " KB");
    }

    private static StageRecord anchored(StageRecord record, String session, long anchor) {
        inSession(record, session);
        record.contextTurnAnchor = anchor;
        return record;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
