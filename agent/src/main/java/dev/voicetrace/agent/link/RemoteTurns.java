package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns opened in another service, joined by the calls this JVM makes while handling that
 * service's requests (their context holds a remote {@link TurnIdentity}). Such a turn is exported
 * by its ids only: its observations hang under the caller's span in the caller's trace, a model
 * call is linked from the caller's transcription, speech from the latest model call of the turn
 * here. Its root and figures are the opening service's, so a remote turn never exports a root.
 *
 * <p>Bounded: beyond the limit the least recently used turn is closed. Not thread-safe: the
 * linker's thread owns it.
 */
final class RemoteTurns {

    private final IdGenerator ids;
    private final int maxTurns;
    private final Map<String, Turn> open = new LinkedHashMap<>(64, 0.75f, true);

    RemoteTurns(IdGenerator ids, int maxTurns) {
        this.ids = ids;
        this.maxTurns = Math.max(1, maxTurns);
    }

    Linker.Result link(StageRecord record, String sessionId) {
        TurnIdentity identity = record.contextTurn;
        List<Turn> closed = new ArrayList<>(0);
        String key = identity.traceId + '/' + identity.spanId;
        Turn turn = open.get(key);
        if (turn == null) {
            if (open.size() >= maxTurns) {
                Iterator<Turn> eldest = open.values().iterator();
                Turn evicted = eldest.next();
                eldest.remove();
                evicted.markClosed();
                closed.add(evicted);
            }
            turn = new Turn(identity.traceId, identity.spanId, null, true, sessionId, 0);
            open.put(key, turn);
        }
        String linkedFrom = null;
        if (record.kind == StageKind.LLM) {
            linkedFrom = identity.openerSpanId;
        } else if (record.kind == StageKind.TTS) {
            List<LinkedObservation> observations = turn.observations();
            for (int i = observations.size() - 1; i >= 0 && linkedFrom == null; i--) {
                if (observations.get(i).record.kind == StageKind.LLM) {
                    linkedFrom = observations.get(i).spanId;
                }
            }
        }
        LinkedObservation observation = new LinkedObservation(record, turn.sessionId, turn, ids.spanId(),
                linkedFrom, linkedFrom == null ? null : "context");
        turn.add(observation);
        return new Linker.Result(observation, Collections.singletonList(observation), closed);
    }

    List<Turn> closeIdle(long nowEpochNanos, long idleNanos) {
        List<Turn> closed = new ArrayList<>();
        for (Iterator<Turn> it = open.values().iterator(); it.hasNext(); ) {
            Turn turn = it.next();
            if (nowEpochNanos - turn.lastActivityEpochNanos() > idleNanos) {
                it.remove();
                turn.markClosed();
                closed.add(turn);
            }
        }
        return closed;
    }

    List<Turn> closeAll() {
        List<Turn> closed = new ArrayList<>(open.values());
        for (Turn turn : closed) {
            turn.markClosed();
        }
        open.clear();
        return closed;
    }

    int size() {
        return open.size();
    }
}
