package dev.voicetrace.bootstrap;

/**
 * Receives the start and end of every intercepted client call. Implemented by the agent; the
 * bootstrap side only knows this interface so that advice never references agent classes.
 */
public interface ClientCallListener {

    /**
     * Called on the application thread when an intercepted method is entered.
     *
     * @param operation the instrumented method, as {@code DeclaringType#method}
     * @param receiver the object whose method it is (the SDK's service, holding its client
     *     options), null for a static method
     * @param request the request object of the call (the first argument), may be null
     * @return a handle passed back to {@link #onExit}, or null when the call is not traced
     */
    Object onEnter(String operation, Object receiver, Object request);

    /**
     * Called on the application thread when a method intercepted under an operation key is
     * entered (libraries whose calls take several arguments, or whose results arrive through a
     * callback argument).
     *
     * @param operationKey the key the instrumentation bound to the method
     * @param receiver the object whose method it is, null for a static method
     * @param arguments the method's arguments; the listener may replace elements (a callback by
     *     an observing wrapper of the same interface), and the method then sees the replacements
     * @return a handle passed back to {@link #onExit}, or null when the call is not traced
     */
    Object onEnterCall(String operationKey, Object receiver, Object[] arguments);

    /**
     * Called on the application thread when the intercepted method returns or throws.
     *
     * @return the value the method returns to the application: {@code result} itself, or a
     *     wrapper of the same interface type that observes how the application consumes it
     */
    Object onExit(Object handle, Object result, Throwable thrown);
}
