package dev.voicetrace.agent.capture;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of one intercepted call between its start on an application thread and its hand-off
 * to the agent's processing thread. Application threads only store references and timestamps
 * here; reading the library objects happens later, in a {@link CallExtractor}.
 */
public final class InFlightCall implements CompletedCall {

    /** Streams longer than this keep their first items only; the record says so. */
    static final int MAX_STREAM_ITEMS = 20_000;

    private static final Object[] NO_ARGUMENTS = new Object[0];

    private final OperationSpec spec;
    private final Object receiver;
    private final Object[] arguments;
    private final CallSink sink;
    public final long startEpochNanos;
    public final String contextSessionId;
    public final long contextTurnAnchor;
    /** This call found no session id and gave its conversation a generated one (set before it is queued). */
    public boolean sessionGenerated;
    /** The ids of the calling thread's turn, when fixed at its start (set before the call is queued), or null. */
    public dev.voicetrace.bootstrap.TurnIdentity contextTurn;
    private volatile long requestContentBytes;

    private volatile Object response;
    private volatile Object rawResponse;
    private final List<Object> streamItems;
    private long[] streamItemTimes = new long[0];
    /** Per stream item, the SDK's wire message it was parsed from, or null (same indexes as the items). */
    private Object[] streamItemWireMessages;
    /** The wire message the SDK last decoded while the consuming thread advanced the stream (that thread only). */
    private Object pendingWireMessage;
    private volatile long firstOutputEpochNanos;
    private volatile long bodyBytes = -1;
    private volatile boolean interrupted;
    private volatile boolean streamItemsTruncated;
    private volatile Throwable error;
    private volatile long endEpochNanos;
    private final AtomicBoolean completed = new AtomicBoolean();
    /** The framework call ({@code provider/operation}) this SDK call was made in, or null. */
    private volatile String nestedIn;
    /** Values of the configured call attributes (user id, MDC metadata) at the call's start, or null. */
    private volatile String[] contextAttributes;
    /** The SDK's HTTP request object for this call, when its client was seen reading it, or null. */
    private volatile Object sentRequest;
    /** The response body as the SDK read it, when it was copied ({@link ResponseBodies}), and its length. */
    private volatile byte[] responseBody;
    private volatile int responseBodyLength;
    /** The request as the library completed it (defaults merged in), when it could be seen. */
    private volatile Object effectiveRequest;

    InFlightCall(OperationSpec spec, Object receiver, Object[] arguments, CallSink sink, long startEpochNanos,
                 String contextSessionId, long contextTurnAnchor, long requestContentBytes) {
        this.spec = spec;
        this.receiver = receiver;
        this.arguments = arguments == null ? NO_ARGUMENTS : arguments;
        this.sink = sink;
        this.startEpochNanos = startEpochNanos;
        this.contextSessionId = contextSessionId;
        this.contextTurnAnchor = contextTurnAnchor;
        this.requestContentBytes = requestContentBytes;
        this.streamItems = spec.streaming ? new ArrayList<>() : Collections.emptyList();
    }

    void contextAttributes(String[] values) {
        contextAttributes = values;
    }

    /** The user id and MDC metadata values seen in the calling thread's context, or null. */
    public String[] contextAttributes() {
        return contextAttributes;
    }

    public void onResponse(Object parsed) {
        response = parsed;
    }

    public void onRawResponse(Object raw) {
        rawResponse = raw;
    }

    /** The SDK's HTTP client read the request it sends for this call. */
    void onSentRequest(Object request) {
        sentRequest = request;
    }

    @Override
    public Object sentRequest() {
        return sentRequest;
    }

    /** The SDK read this response body (the first {@code length} bytes of {@code bytes}) while parsing. */
    void onResponseBody(byte[] bytes, int length) {
        responseBodyLength = length;
        responseBody = bytes;
    }

    @Override
    public JsonNode responseBodyJson() {
        byte[] bytes = responseBody;
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = dev.voicetrace.agent.json.Json.read(bytes, 0, responseBodyLength);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The SDK decoded the wire message of the next stream item (null: forget an earlier one). */
    void onWireMessage(Object message) {
        pendingWireMessage = message;
    }

    /** Called for every stream item, on the consuming thread (one at a time, as streams are). */
    public void onStreamItem(Object item) {
        Object wireMessage = pendingWireMessage;
        pendingWireMessage = null;
        long now = EpochClock.now();
        if (firstOutputEpochNanos == 0) {
            firstOutputEpochNanos = now;
        }
        synchronized (streamItems) {
            int size = streamItems.size();
            if (size < MAX_STREAM_ITEMS) {
                if (size == streamItemTimes.length) {
                    streamItemTimes = java.util.Arrays.copyOf(streamItemTimes, Math.max(16, size * 2));
                }
                streamItemTimes[size] = now;
                if (wireMessage != null) {
                    if (streamItemWireMessages == null || streamItemWireMessages.length < streamItemTimes.length) {
                        streamItemWireMessages = streamItemWireMessages == null ? new Object[streamItemTimes.length]
                                : java.util.Arrays.copyOf(streamItemWireMessages, streamItemTimes.length);
                    }
                    streamItemWireMessages[size] = wireMessage;
                }
                streamItems.add(item);
            } else {
                streamItemsTruncated = true;
            }
        }
    }

    public void onBodyBytes(long count) {
        if (count <= 0) {
            return;
        }
        if (firstOutputEpochNanos == 0) {
            firstOutputEpochNanos = EpochClock.now();
        }
        bodyBytes = Math.max(bodyBytes, 0) + count;
    }

    /**
     * Counts request content the application streams to the service while the call runs (audio
     * chunks sent on a streaming transcription), on the one thread that sends at a time.
     */
    public void onRequestContentBytes(long count) {
        if (count > 0) {
            requestContentBytes = Math.max(requestContentBytes, 0) + count;
        }
    }

    public void onBodyOpened() {
        if (bodyBytes < 0) {
            bodyBytes = 0;
        }
    }

    /**
     * Ends the call as failed. A future's error arrives wrapped in a {@code CompletionException}:
     * its cause is what the call failed with.
     */
    public void fail(Throwable thrown) {
        Throwable cause = thrown;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (error == null) {
            error = cause;
        }
        complete(false);
    }

    /** Ends the call once; later calls (a close after exhaustion, say) do nothing. */
    public void complete(boolean endedEarly) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        endEpochNanos = EpochClock.now();
        interrupted = endedEarly;
        sink.accept(this);
    }

    /** Notes the request as the library completed it; the first one seen is kept. */
    public void onEffectiveRequest(Object request) {
        if (effectiveRequest == null) {
            effectiveRequest = request;
        }
    }

    @Override
    public Object effectiveRequest() {
        return effectiveRequest;
    }

    void nestedIn(String outerCall) {
        nestedIn = outerCall;
    }

    /** The framework call ({@code provider/operation}) this SDK call was made in, or null. */
    public String nestedIn() {
        return nestedIn;
    }

    public boolean isCompleted() {
        return completed.get();
    }

    @Override
    public OperationSpec spec() {
        return spec;
    }

    @Override
    public Object receiver() {
        return receiver;
    }

    @Override
    public Object[] arguments() {
        return arguments;
    }

    @Override
    public Object response() {
        return response;
    }

    @Override
    public List<Object> streamItems() {
        synchronized (streamItems) {
            return new ArrayList<>(streamItems);
        }
    }

    @Override
    public long streamItemTime(int index) {
        synchronized (streamItems) {
            return index < streamItems.size() ? streamItemTimes[index] : 0;
        }
    }

    @Override
    public Object streamItemWireMessage(int index) {
        synchronized (streamItems) {
            return streamItemWireMessages != null && index < streamItemWireMessages.length
                    && index < streamItems.size() ? streamItemWireMessages[index] : null;
        }
    }

    public boolean streamItemsTruncated() {
        return streamItemsTruncated;
    }

    @Override
    public long bodyBytes() {
        return bodyBytes;
    }

    /** A generated SDK's {@code Headers.values(String)}, made accessible; null when the class has none. */
    private static final ClassValue<Method> HEADER_VALUES = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method values = type.getMethod("values", String.class);
                values.setAccessible(true);
                return values;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    @Override
    public String bodyContentType() {
        Object raw = rawResponse;
        if (raw == null) {
            return null;
        }
        try {
            // Generated SDKs expose headers().values(name) on their HttpResponse.
            Object headers = SdkMembers.invoke(raw, "headers");
            Method values = HEADER_VALUES.get(headers.getClass());
            if (values == null) {
                return null;
            }
            Object list = values.invoke(headers, "Content-Type");
            if (list instanceof List && !((List<?>) list).isEmpty()) {
                return String.valueOf(((List<?>) list).get(0));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public long requestContentBytes() {
        return requestContentBytes;
    }

    @Override
    public boolean interrupted() {
        return interrupted;
    }

    public Throwable error() {
        return error;
    }

    public long endEpochNanos() {
        return endEpochNanos;
    }

    public long firstOutputEpochNanos() {
        return firstOutputEpochNanos;
    }
}
