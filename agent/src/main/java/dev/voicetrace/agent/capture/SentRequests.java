package dev.voicetrace.agent.capture;

/**
 * Notes the SDK's own HTTP request object of a call while the call is being made, so that the
 * processing thread can read the request's JSON body as the SDK serialised it to send it, instead
 * of serialising the request object once more. Only a call made synchronously on one thread is
 * seen (the SDK's HTTP client reads the request inside the intercepted method); any other keeps
 * the serialisation.
 */
public final class SentRequests {

    /** The call whose intercepted method runs on this thread, or null. */
    private static final ThreadLocal<InFlightCall> MAKING = new ThreadLocal<>();

    private SentRequests() {}

    static void making(InFlightCall call) {
        MAKING.set(call);
    }

    static void made(InFlightCall call) {
        if (MAKING.get() == call) {
            // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
            MAKING.set(null);
        }
    }

    /** The SDK read a request object on this thread (its HTTP client, about to send it). */
    public static void onRequest(Object request) {
        InFlightCall call = MAKING.get();
        if (call != null && request != null) {
            call.onSentRequest(request);
        }
    }
}
