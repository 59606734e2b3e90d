package dev.voicetrace.agent.capture;

/**
 * Pairs each item of an observed stream with the wire message the SDK parsed it from (an SSE
 * message that still holds its {@code data:} text), so that the processing thread reads the JSON
 * the service sent instead of serialising every parsed item again with the SDK's mapper.
 *
 * <p>An SDK's stream parses one message per item, lazily, on the thread that consumes the stream:
 * while {@link ObservingSpliterator} advances, the message the SDK last looked at on that thread
 * is the one the next item comes from. Application threads only keep the message's reference.
 */
public final class StreamWireMessages {

    /** The call whose stream the current thread is advancing, or null. */
    private static final ThreadLocal<InFlightCall> ADVANCING = new ThreadLocal<>();

    private StreamWireMessages() {}

    /** Marks the current thread as advancing {@code call}'s stream; returns what it was advancing before. */
    static InFlightCall advancing(InFlightCall call) {
        InFlightCall previous = ADVANCING.get();
        ADVANCING.set(call);
        call.onWireMessage(null);
        return previous;
    }

    /** Ends what {@link #advancing} began. */
    static void done(InFlightCall previous) {
        // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
        ADVANCING.set(previous);
    }

    /**
     * The SDK looked at a decoded wire message on this thread (its stream handler does, for every
     * message, before it parses and yields the item). Outside an observed stream it does nothing.
     */
    public static void onMessage(Object message) {
        InFlightCall call = ADVANCING.get();
        if (call != null && message != null) {
            call.onWireMessage(message);
        }
    }
}
