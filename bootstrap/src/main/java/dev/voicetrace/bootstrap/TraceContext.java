package dev.voicetrace.bootstrap;

/**
 * What the agent knows of the conversation a thread is working for: its session id and the
 * speech-to-text call that started the current turn. It follows work from thread to thread
 * (see {@link ContextPropagation}), so a call made three hops after the request thread set a
 * session still lands in that session and turn. Immutable (one text derived from it is kept once made).
 */
public final class TraceContext {

    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    /** The session id, or null when the context only anchors a turn. */
    public final String sessionId;
    /** Identifies the speech-to-text call that opened the turn in progress; 0 before the first. */
    public final long turnAnchor;
    /**
     * Values of the configured call attributes (the user id's MDC key, then the metadata MDC keys),
     * in that order, or null when none is set. Never modified once the context is made.
     */
    public final String[] attributes;
    /**
     * The ids of the turn in progress, when they must be known before export (trace context
     * propagation is on, or the turn came with an incoming request); null otherwise.
     */
    public final TurnIdentity turn;
    /**
     * The session's baggage entry, made by {@link #sessionBaggage()} on the first request that
     * carries it rather than on every one. Written without synchronisation: a String is safely
     * seen by any thread, and two threads making it at once make the same text.
     */
    private String sessionBaggage;

    public TraceContext(String sessionId, long turnAnchor) {
        this(sessionId, turnAnchor, null);
    }

    public TraceContext(String sessionId, long turnAnchor, String[] attributes) {
        this(sessionId, turnAnchor, attributes, null);
    }

    public TraceContext(String sessionId, long turnAnchor, String[] attributes, TurnIdentity turn) {
        this.sessionId = sessionId;
        this.turnAnchor = turnAnchor;
        this.attributes = attributes;
        this.turn = turn;
    }

    public static TraceContext current() {
        return CURRENT.get();
    }

    public static void set(TraceContext context) {
        // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
        CURRENT.set(context);
    }

    /** {@code session.id=} and the session id, percent-encoded, as outgoing baggage carries it; null without a session. */
    String sessionBaggage() {
        String entry = sessionBaggage;
        if (entry == null && sessionId != null) {
            StringBuilder value = new StringBuilder(TracePropagation.SESSION_KEY.length() + 1 + sessionId.length())
                    .append(TracePropagation.SESSION_KEY).append('=');
            TracePropagation.percentEncode(sessionId, value);
            sessionBaggage = entry = value.toString();
        }
        return entry;
    }

    public TraceContext withSession(String newSessionId) {
        return new TraceContext(newSessionId, turnAnchor, attributes, turn);
    }

    /** The same session and turn, with attribute {@code index} of {@code count} set to {@code value}. */
    public TraceContext withAttribute(int index, int count, String value) {
        String[] values = attributes == null ? new String[count] : attributes.clone();
        values[index] = value;
        return new TraceContext(sessionId, turnAnchor, values, turn);
    }
}
