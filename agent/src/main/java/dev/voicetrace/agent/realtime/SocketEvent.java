package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.RecordWork;
import java.util.function.Consumer;

/**
 * One thing that happened on a recognised socket, queued for the processing thread: a kept text
 * frame (sent or received), or the socket's end. It carries the socket's audio counters as they
 * stood at that moment, so that the state machine can tell which audio belongs to which turn.
 */
public final class SocketEvent implements RecordWork {

    /**
     * {@code AUDIO_STARTED}: the first audio frame received after a kept sent frame (a request,
     * a text chunk to speak), with no text: the start of an answer's audio.
     */
    public enum Kind { SENT, RECEIVED, AUDIO_STARTED, CLOSED, FAILED, ABORTED, AGENT_STOPPING }

    public final ObservedSocket socket;
    public final Kind kind;
    /** The frame's text for {@link Kind#SENT} and {@link Kind#RECEIVED}; else null. */
    public final String text;
    public final long epochNanos;
    /** Audio bytes the application had sent on the socket so far. */
    public final long sentAudioBytes;
    /** Audio frames (binary or base64 in text) the application had sent so far. */
    public final long sentAudioFrames;
    /** Audio bytes the application had received so far. */
    public final long receivedAudioBytes;
    /** Audio frames received so far. */
    public final long receivedAudioFrames;
    /** When the first audio frame received since the previous received event arrived; 0 if none. */
    public final long firstAudioNanos;
    /** When the first output-mark frame (a text delta) received since the previous received event arrived; 0 if none. */
    public final long firstMarkNanos;
    /** The turn anchor set in the receiving thread's context for a turn-ending frame; 0 otherwise. */
    public final long turnAnchor;
    /** Output-mark frames (text deltas, interim results) received so far: counted, never kept. */
    public final long receivedMarks;
    /** When the latest audio frame received so far arrived; 0 if none. */
    public final long lastAudioNanos;
    /** For a sent frame: the session id in the sending thread's context (or null). */
    public final String senderSessionId;
    /** For a sent frame: the turn anchor in the sending thread's context (or 0). */
    public final long senderTurnAnchor;
    /** The close code, or -1. */
    public final int closeCode;
    /** The failure, described (scrubbed by the caller), for {@link Kind#FAILED}. */
    public final String error;

    SocketEvent(ObservedSocket socket, Kind kind, String text, long epochNanos, long sentAudioBytes,
                long sentAudioFrames, long receivedAudioBytes, long receivedAudioFrames, long firstAudioNanos,
                long firstMarkNanos, long receivedMarks, long lastAudioNanos, long turnAnchor, String senderSessionId,
                long senderTurnAnchor, int closeCode, String error) {
        this.socket = socket;
        this.kind = kind;
        this.text = text;
        this.epochNanos = epochNanos;
        this.sentAudioBytes = sentAudioBytes;
        this.sentAudioFrames = sentAudioFrames;
        this.receivedAudioBytes = receivedAudioBytes;
        this.receivedAudioFrames = receivedAudioFrames;
        this.firstAudioNanos = firstAudioNanos;
        this.firstMarkNanos = firstMarkNanos;
        this.turnAnchor = turnAnchor;
        this.receivedMarks = receivedMarks;
        this.lastAudioNanos = lastAudioNanos;
        this.senderSessionId = senderSessionId;
        this.senderTurnAnchor = senderTurnAnchor;
        this.closeCode = closeCode;
        this.error = error;
    }

    /**
     * For an end: what went wrong, or null. A failure, and a close with a code other than normal
     * closure (1000) or going away (1001), such as 1006 for a connection that broke without a
     * close frame or a vendor's 1008; not the application's abort nor the agent stopping.
     */
    public String failure() {
        if (kind == Kind.FAILED) {
            return error == null ? "socket failed" : error;
        }
        if (kind == Kind.CLOSED && closeCode != 1000 && closeCode != 1001 && closeCode != -1) {
            return "socket closed with code " + closeCode;
        }
        return null;
    }

    /** For an end: whether what was still streaming was cut short (a failure, an abort, the agent stopping). */
    public boolean cutShort() {
        return isEnd() && (failure() != null || kind == Kind.ABORTED || kind == Kind.AGENT_STOPPING);
    }

    public boolean isEnd() {
        return kind.ordinal() > Kind.AUDIO_STARTED.ordinal();
    }

    @Override
    public void run(Consumer<StageRecord> records) {
        socket.process(this, records);
    }
}
