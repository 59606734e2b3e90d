package dev.voicetrace.agent.capture;

/**
 * How a call's progress is seen as the application consumes it. The default serves generated
 * HTTP SDKs (their results are wrapped, see {@link ResultObservers}); a library whose results
 * arrive through a callback argument, or as a reactive publisher, supplies its own. Both methods
 * run on application threads: they only wrap and store references.
 */
public interface CallObserver {

    /** Wraps generated-SDK results and futures of them; leaves the arguments alone. */
    CallObserver SDK_RESULTS = new CallObserver() {};

    /**
     * Called when a call keyed by operation starts: may replace elements of {@code arguments}
     * (a callback by a wrapper of the same interface that reports to {@code call}).
     */
    default void onArguments(InFlightCall call, Object[] arguments) {}

    /**
     * Called instead of starting a call when a method keyed to this observer's operation runs
     * inside a framework call on the same thread: may note on {@code enclosing} what the
     * arguments tell about it (the request as the framework completed it with its defaults).
     */
    default void onNestedArguments(InFlightCall enclosing, Object[] arguments) {}

    /**
     * Called when the intercepted method returns normally: returns what the application gets
     * instead of {@code result}, and ends {@code call} now or when the result is consumed.
     */
    default Object onResult(InFlightCall call, Object result) {
        return ResultObservers.observe(call, result);
    }
}
