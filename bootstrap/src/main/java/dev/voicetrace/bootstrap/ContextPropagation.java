package dev.voicetrace.bootstrap;

/**
 * Carries the {@link TraceContext} of the thread that hands work over (submits a task, starts a
 * thread) to the thread that runs it. Advice in the JDK's executors, fork/join tasks and threads
 * calls these methods; they never throw and cost one thread-local read when no context is set.
 *
 * <p>A task remembers the latest context it was handed over with: a completion stage registered
 * early and dispatched later by the stage before it carries that stage's context, which knows the
 * turn. A task runs with exactly its own context (or none), so pool threads never leak one
 * conversation's context into another's work.
 */
public final class ContextPropagation {

    private static volatile boolean enabled;
    private static volatile String mdcSessionKey;
    /** MDC keys whose values the context carries too (user id, call metadata); never null. */
    private static volatile String[] mdcAttributeKeys = new String[0];

    /** Returned by {@link #enterTask} when nothing was changed, so that exit changes nothing either. */
    private static final Object UNCHANGED = new Object();
    /** Returned by {@link #enterTask} when the thread had no context before the task. */
    private static final Object NO_CONTEXT = new Object();

    private static final WeakIdentityMap<TraceContext> HANDED_OVER = new WeakIdentityMap<>();
    /** Futures completed on a thread whose context was in a turn, with that context. */
    private static final WeakIdentityMap<TraceContext> COMPLETED_IN = new WeakIdentityMap<>();

    private ContextPropagation() {}

    /** Turns propagation on; {@code sessionKey} is the MDC key whose value is the session id. */
    public static void enable(String sessionKey) {
        enable(sessionKey, new String[0]);
    }

    /** As {@link #enable(String)}, also carrying the values of {@code attributeKeys} (null entries are skipped). */
    public static void enable(String sessionKey, String[] attributeKeys) {
        mdcSessionKey = sessionKey;
        mdcAttributeKeys = attributeKeys.clone();
        enabled = true;
    }

    public static void disable() {
        enabled = false;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Work is handed over: it will run with the current thread's context. */
    public static void capture(Object work) {
        try {
            if (!enabled || work == null) {
                return;
            }
            TraceContext context = TraceContext.current();
            if (context != null) {
                HANDED_OVER.put(work, context);
            }
        } catch (Throwable ignored) {
            // Never disturb the thread handing work over.
        }
    }

    /**
     * Work starts running on this thread: installs the context it was handed over with (or none).
     *
     * @return a token for {@link #exitTask}
     */
    public static Object enterTask(Object work) {
        try {
            if (!enabled) {
                return UNCHANGED;
            }
            TraceContext previous = TraceContext.current();
            TraceContext handedOver = HANDED_OVER.isEmpty() ? null : HANDED_OVER.remove(work);
            if (handedOver == null && previous == null) {
                return UNCHANGED;
            }
            TraceContext.set(handedOver);
            return previous == null ? NO_CONTEXT : previous;
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /** The work that {@link #enterTask} returned {@code token} for has ended: the thread's context is put back. */
    public static void exitTask(Object token) {
        try {
            if (token != UNCHANGED) {
                TraceContext.set(token == NO_CONTEXT ? null : (TraceContext) token);
            }
        } catch (Throwable ignored) {
            // Nothing to undo.
        }
    }

    /**
     * A {@code CompletableFuture}'s result was set on this thread ({@code setHere} is the setting
     * method's {@code Boolean} result: false when another thread had set it first).
     */
    public static void completed(Object future, Object setHere) {
        try {
            if (!enabled || future == null || !Boolean.TRUE.equals(setHere)) {
                return;
            }
            TraceContext context = TraceContext.current();
            if (context != null && context.turnAnchor != 0) {
                COMPLETED_IN.put(future, context);
            }
        } catch (Throwable ignored) {
            // The future completes regardless.
        }
    }

    /**
     * A stage is being added to the future {@code source}. Added before the source completes, the
     * stage runs (or is handed to its executor) on the completing thread, with that thread's
     * context; added after, it runs or is handed over now, on this thread. So that which came
     * first does not decide the turn, a source completed in a turn lends this thread that context
     * while the stage is added, unless this thread works for another conversation or is already
     * in that turn or a later one (the source is older than the work at hand).
     *
     * @return a token for {@link #exitTask}
     */
    public static Object addingStage(Object source) {
        try {
            if (!enabled || source == null || COMPLETED_IN.isEmpty()) {
                return UNCHANGED;
            }
            TraceContext completion = COMPLETED_IN.get(source);
            if (completion == null) {
                return UNCHANGED;
            }
            TraceContext current = TraceContext.current();
            if (current != null && (current.turnAnchor >= completion.turnAnchor
                    || !java.util.Objects.equals(current.sessionId, completion.sessionId))) {
                return UNCHANGED;
            }
            TraceContext.set(completion);
            return current == null ? NO_CONTEXT : current;
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /** A pooled task ended: its worker thread keeps no context between tasks. */
    public static void endPooledTask() {
        if (enabled) {
            TraceContext.set(null);
        }
    }

    /** The application put a value into SLF4J's MDC on this thread. */
    public static void onMdcPut(String key, String value) {
        try {
            if (!enabled || key == null) {
                return;
            }
            if (!key.equals(mdcSessionKey)) {
                // Most MDC keys are neither: they cost a comparison or two, no thread-local read.
                if (attributeIndex(key) >= 0) {
                    setAttribute(TraceContext.current(), key, value);
                }
                return;
            }
            TraceContext current = TraceContext.current();
            if (value == null) {
                clearSession(current);
            } else if (current == null || !value.equals(current.sessionId)) {
                // A new session id starts a new conversation on this thread: no turn yet.
                // A turn that came with an incoming request stays: its ids are another service's.
                TraceContext.set(new TraceContext(value, 0, current == null ? null : current.attributes,
                        current != null && current.turn != null && current.turn.remote ? current.turn : null));
            }
        } catch (Throwable ignored) {
            // Logging must never fail because of the agent.
        }
    }

    /** The application removed a key from the MDC, or cleared it ({@code key} null). */
    public static void onMdcRemove(String key) {
        try {
            if (!enabled) {
                return;
            }
            String sessionKey = mdcSessionKey;
            if (key != null && !key.equals(sessionKey) && attributeIndex(key) < 0) {
                return;
            }
            TraceContext current = TraceContext.current();
            if (key == null) {
                // MDC.clear(): the call attributes go with the session.
                if (current != null && (current.sessionId != null || current.attributes != null)) {
                    TraceContext.set(current.sessionId == null && (current.turnAnchor != 0 || current.turn != null)
                            ? new TraceContext(null, current.turnAnchor, null, current.turn) : null);
                }
            } else if (key.equals(sessionKey)) {
                clearSession(current);
            } else {
                setAttribute(current, key, null);
            }
        } catch (Throwable ignored) {
            // As above.
        }
    }

    private static void clearSession(TraceContext current) {
        if (current != null && current.sessionId != null) {
            // The user id and call metadata are the application's to remove; they stay.
            TraceContext.set(current.attributes == null ? null : new TraceContext(null, 0, current.attributes));
        }
    }

    private static int attributeIndex(String key) {
        String[] keys = mdcAttributeKeys;
        for (int i = 0; i < keys.length; i++) {
            if (key.equals(keys[i])) {
                return i;
            }
        }
        return -1;
    }

    private static void setAttribute(TraceContext current, String key, String value) {
        int index = attributeIndex(key);
        int count = mdcAttributeKeys.length;
        if (index < 0) {
            return;
        }
        if (current == null) {
            if (value != null) {
                TraceContext.set(new TraceContext(null, 0).withAttribute(index, count, value));
            }
        } else if (current.attributes == null ? value != null
                : !java.util.Objects.equals(value, current.attributes[index])) {
            TraceContext.set(current.withAttribute(index, count, value));
        }
    }

    /** Contexts handed over and not yet taken up by running work (for tests and diagnostics). */
    public static int pendingHandOvers() {
        return HANDED_OVER.size();
    }
}
