package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One conversational turn: what the caller said, what the model answered, what was spoken back.
 * It is one Langfuse trace; its root span carries the turn-level latencies, tokens and cost.
 */
public final class Turn {

    public final String traceId;
    public final String rootSpanId;
    /**
     * The turn was opened in another service: {@link #rootSpanId} is that service's span, under
     * which this JVM's observations hang; the turn's root and figures are that service's to export.
     */
    public final boolean remote;
    /** The span the turn root hangs under (the application's OpenTelemetry span), or null. */
    public final String parentSpanId;
    /** The session; a turn held for its session may still move (see {@link Linker}) before export. */
    public String sessionId;
    /** 1-based position of the turn in its session. */
    public int index;
    /**
     * Its observations are held, not exported, until the turn's session is settled: the turn was
     * the first of a generated session, and may turn out to continue an earlier conversation.
     */
    private boolean holding;
    private final List<LinkedObservation> observations = new ArrayList<>();
    private long lastActivityEpochNanos;
    private boolean closed;
    private TurnMetrics closedMetrics;

    Turn(String traceId, String rootSpanId, String sessionId, int index) {
        this(traceId, rootSpanId, null, false, sessionId, index);
    }

    Turn(String traceId, String rootSpanId, String parentSpanId, boolean remote, String sessionId, int index) {
        this.traceId = traceId;
        this.rootSpanId = rootSpanId;
        this.parentSpanId = parentSpanId;
        this.remote = remote;
        this.sessionId = sessionId;
        this.index = index;
    }

    void add(LinkedObservation observation) {
        if (closed) {
            // A late stage joins the trace by its ids; the exported turn does not hold it.
            return;
        }
        observations.add(observation);
        lastActivityEpochNanos = Math.max(lastActivityEpochNanos, observation.record.endEpochNanos);
    }

    void markClosed() {
        closed = true;
    }

    void hold() {
        holding = true;
    }

    public boolean isHolding() {
        return holding;
    }

    /** Moves a held turn into the session it continues, as that session's next turn. */
    void moveTo(String newSessionId, int newIndex) {
        sessionId = newSessionId;
        index = newIndex;
        for (LinkedObservation observation : observations) {
            observation.sessionId = newSessionId;
        }
    }

    /**
     * Settles the turn's session: the observations held until now, to be exported; empty when
     * nothing was held. From now on each observation is exported as it comes.
     */
    public List<LinkedObservation> settle() {
        if (!holding) {
            return Collections.emptyList();
        }
        holding = false;
        return new ArrayList<>(observations);
    }

    /**
     * Drops the records of a closed turn once it has been exported: a late stage can still join
     * the trace by its ids, but the turn no longer holds prompts and replies in memory.
     */
    public void release() {
        if (closed) {
            observations.clear();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    long lastActivityEpochNanos() {
        return lastActivityEpochNanos;
    }

    public List<LinkedObservation> observations() {
        return Collections.unmodifiableList(observations);
    }

    public long startEpochNanos() {
        long start = Long.MAX_VALUE;
        for (LinkedObservation o : observations) {
            start = Math.min(start, o.record.startEpochNanos);
        }
        return start == Long.MAX_VALUE ? 0 : start;
    }

    public long endEpochNanos() {
        long end = 0;
        for (LinkedObservation o : observations) {
            end = Math.max(end, o.record.endEpochNanos);
        }
        return end;
    }

    /** The first observation of a kind, or null. */
    public StageRecord first(StageKind kind) {
        for (LinkedObservation o : observations) {
            if (o.record.kind == kind) {
                return o.record;
            }
        }
        return null;
    }

    /** The last observation of a kind, or null. */
    public StageRecord last(StageKind kind) {
        for (int i = observations.size() - 1; i >= 0; i--) {
            if (observations.get(i).record.kind == kind) {
                return observations.get(i).record;
            }
        }
        return null;
    }

    /** The record that the first observation of {@code kind} in this turn was linked from, or null. */
    public StageRecord upstreamOf(StageKind kind) {
        for (LinkedObservation o : observations) {
            if (o.record.kind == kind && o.linkedFromSpanId != null) {
                for (LinkedObservation candidate : observations) {
                    if (candidate.spanId.equals(o.linkedFromSpanId)) {
                        return candidate.record;
                    }
                }
                return null;
            }
        }
        return null;
    }

    public String userText() {
        StageRecord stt = first(StageKind.STT);
        if (stt != null) {
            return stt.outputText;
        }
        StageRecord llm = first(StageKind.LLM);
        return llm == null ? null : llm.inputText;
    }

    public String replyText() {
        StageRecord llm = last(StageKind.LLM);
        return llm == null ? null : llm.outputText;
    }

    /** The turn's figures; once it is closed they are computed once, for the span and the log line. */
    public TurnMetrics metrics() {
        if (!closed) {
            return TurnMetrics.of(this);
        }
        if (closedMetrics == null) {
            closedMetrics = TurnMetrics.of(this);
        }
        return closedMetrics;
    }
}
