package dev.voicetrace.bootstrap;

/**
 * Static entry points for woven advice. Every method swallows whatever goes wrong: the host
 * application must never see an exception or a changed result because of the agent.
 */
public final class VoicetraceHooks {

    private static volatile ClientCallListener listener;

    /**
     * Guards against tracing the agent's own work (and nested intercepted calls made while one is
     * being set up) on the same thread.
     */
    private static final ThreadLocal<boolean[]> BUSY = ThreadLocal.withInitial(() -> new boolean[1]);

    private VoicetraceHooks() {}

    public static void install(ClientCallListener newListener) {
        listener = newListener;
    }

    public static Object enter(String operation, Object receiver, Object request) {
        ClientCallListener current = listener;
        if (current == null) {
            return null;
        }
        boolean[] busy = BUSY.get();
        if (busy[0]) {
            return null;
        }
        busy[0] = true;
        try {
            return current.onEnter(operation, receiver, request);
        } catch (Throwable ignored) {
            return null;
        } finally {
            busy[0] = false;
        }
    }

    /** Like {@link #enter}, for a call keyed by its instrumentation; may replace {@code arguments}' elements. */
    public static Object enterCall(String operationKey, Object receiver, Object[] arguments) {
        ClientCallListener current = listener;
        if (current == null) {
            return null;
        }
        boolean[] busy = BUSY.get();
        if (busy[0]) {
            return null;
        }
        busy[0] = true;
        Object[] original = arguments.clone();
        try {
            return current.onEnterCall(operationKey, receiver, arguments);
        } catch (Throwable ignored) {
            // Whatever the listener did to the arguments is undone: the call goes ahead as made.
            System.arraycopy(original, 0, arguments, 0, original.length);
            return null;
        } finally {
            busy[0] = false;
        }
    }

    public static Object exit(Object handle, Object result, Throwable thrown) {
        ClientCallListener current = listener;
        if (handle == null || current == null) {
            return result;
        }
        boolean[] busy = BUSY.get();
        if (busy[0]) {
            return result;
        }
        busy[0] = true;
        try {
            Object replacement = current.onExit(handle, result, thrown);
            return replacement == null ? result : replacement;
        } catch (Throwable ignored) {
            return result;
        } finally {
            busy[0] = false;
        }
    }
}
