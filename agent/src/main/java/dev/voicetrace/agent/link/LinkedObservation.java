package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageRecord;
import java.util.Map;
import java.util.TreeMap;

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
    /**
     * What the linker found out beyond the link itself ({@code link_ambiguous},
     * {@code session_joined_by}, {@code session_not_joined}, a framework tool's {@code tool_call_id}):
     * exported as the observation's metadata beside the record's own.
     */
    public final Map<String, String> linkFacts = new TreeMap<>();

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
