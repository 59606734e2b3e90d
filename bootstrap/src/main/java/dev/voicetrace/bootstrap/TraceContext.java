package dev.voicetrace.bootstrap;

/**
 * What the agent knows of the conversation a thread is working for: its session id and the
 * speech-to-text call that started the current turn. It follows work from thread to thread
 * (see {@link ContextPropagation}), so a call made three hops after the request thread set a
 * session still lands in that session and turn. Immutable.
 */
public final class TraceContext {

    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    /** The session id, or null when the context only anchors a turn. */
    public final String sessionId;
    /** Identifies the speech-to-text call that opened the turn in progress; 0 before the first. */
    public final long turnAnchor;

    public TraceContext(String sessionId, long turnAnchor) {
        this.sessionId = sessionId;
        this.turnAnchor = turnAnchor;
    }

    public static TraceContext current() {
        return CURRENT.get();
    }

    public static void set(TraceContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    public TraceContext withSession(String newSessionId) {
        return new TraceContext(newSessionId, turnAnchor);
    }
}
