package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageRecord;

/** A stage record placed in a session, a turn (its trace) and the chain of stages it came from. */
public final class LinkedObservation {

    public final StageRecord record;
    /** Final once the observation is exported; a held observation follows its turn into another session. */
    public String sessionId;
    public final Turn turn;
    public final String spanId;
    /** The span id of the upstream stage whose output this stage consumed, or null. */
    public final String linkedFromSpanId;
    /** How the link was made: {@code content} (text matched) or null when unlinked. */
    public final String linkedBy;

    public LinkedObservation(StageRecord record, String sessionId, Turn turn, String spanId,
                             String linkedFromSpanId, String linkedBy) {
        this.record = record;
        this.sessionId = sessionId;
        this.turn = turn;
        this.spanId = spanId;
        this.linkedFromSpanId = linkedFromSpanId;
        this.linkedBy = linkedBy;
    }
}
