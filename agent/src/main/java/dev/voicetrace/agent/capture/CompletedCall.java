package dev.voicetrace.agent.capture;

import java.util.List;

/** A read-only view of a finished call, handed to a {@link CallExtractor}. */
public interface CompletedCall {

    OperationSpec spec();

    /**
     * The object whose method was intercepted: the SDK's service (which holds the client's
     * options, such as its base URL), an HTTP client's call, a tool callback; null for a static method.
     */
    Object receiver();

    /** The intercepted method's arguments as the call was made (a copy: never null, never changed later). */
    Object[] arguments();

    /** The library's request object: the first argument, or null when the method takes none. */
    default Object request() {
        Object[] arguments = arguments();
        return arguments.length == 0 ? null : arguments[0];
    }

    /**
     * The request as a framework completed it with its defaults (model name, parameters), seen
     * inside the call; null when the library has no such step or it was not seen.
     */
    default Object effectiveRequest() {
        return null;
    }

    /**
     * The response body as the SDK read it to parse the response, as a JSON object, or null when
     * it was not kept (see {@link ResponseBodies}) or is not a JSON object.
     */
    default com.fasterxml.jackson.databind.JsonNode responseBodyJson() {
        return null;
    }

    /**
     * The SDK's own HTTP request object that was sent for this call (holding the body as the SDK
     * serialised it), or null when it was not seen.
     */
    default Object sentRequest() {
        return null;
    }

    /** The parsed response, or null for streams and raw bodies. */
    Object response();

    /** The items a stream delivered, in order; empty when the call did not stream. */
    List<Object> streamItems();

    /**
     * The SDK's wire message (an SSE message with its {@code data:} text) that the stream item at
     * {@code index} was parsed from, or null when it was not seen.
     */
    default Object streamItemWireMessage(int index) {
        return null;
    }

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
