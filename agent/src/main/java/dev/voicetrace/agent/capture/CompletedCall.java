package dev.voicetrace.agent.capture;

import java.util.List;

/** A read-only view of a finished call, handed to a {@link CallExtractor}. */
public interface CompletedCall {

    OperationSpec spec();

    /** The library's request object (the intercepted method's first argument). */
    Object request();

    /**
     * The request as a framework completed it with its defaults (model name, parameters), seen
     * inside the call; null when the library has no such step or it was not seen.
     */
    default Object effectiveRequest() {
        return null;
    }

    /** The parsed response, or null for streams and raw bodies. */
    Object response();

    /** The items a stream delivered, in order; empty when the call did not stream. */
    List<Object> streamItems();

    /** When the stream item at {@code index} arrived, in epoch nanoseconds. */
    long streamItemTime(int index);

    /** Bytes the application read from a binary response body, -1 when there was none. */
    long bodyBytes();

    /** Content type of a binary response body, or null. */
    String bodyContentType();

    /** Size in bytes of binary request content (uploaded audio), -1 when unknown. */
    long requestContentBytes();

    /** Whether the application stopped consuming a stream or body before its end. */
    boolean interrupted();
}
