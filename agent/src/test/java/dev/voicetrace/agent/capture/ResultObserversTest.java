package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResultObserversTest {

    /** A request type registered under its own class name, as SDK params are. */
    static final class FakeParams {
    }

    /** Records every finished call it is handed. */
    static final class RecordingSink implements CallSink {
        final List<InFlightCall> calls = new CopyOnWriteArrayList<>();

        @Override
        public void accept(InFlightCall call) {
            calls.add(call);
        }
    }

    static final class FakeResponse implements FakeResponseFor<String> {
        final String parsed;
        final byte[] bytes;
        final RuntimeException failure;
        int closes;

        FakeResponse(String parsed, byte[] bytes, RuntimeException failure) {
            this.parsed = parsed;
            this.bytes = bytes;
            this.failure = failure;
        }

        @Override
        public String parse() {
            if (failure != null) {
                throw failure;
            }
            return parsed;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
            closes++;
        }
    }

    static final class FakeStream implements FakeStreamResponse<String> {
        final List<String> items;
        final RuntimeException failAfterFirst;
        boolean closed;

        FakeStream(List<String> items, RuntimeException failAfterFirst) {
            this.items = items;
            this.failAfterFirst = failAfterFirst;
        }

        @Override
        public Stream<String> stream() {
            if (failAfterFirst == null) {
                return items.stream();
            }
            return Stream.concat(Stream.of(items.get(0)), Stream.<String>of("unused").map(s -> {
                throw failAfterFirst;
            }));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final RecordingSink sink = new RecordingSink();

    private static OperationSpec spec(boolean streaming) {
        return new OperationSpec("fake", "things.create", StageKind.LLM, streaming, (call, record) -> { });
    }

    private InFlightCall call(boolean streaming) {
        return new InFlightCall(spec(streaming), null, new Object[] {new FakeParams()}, sink, EpochClock.now(), null, 0, -1);
    }

    @Test
    void parsedValueIsRecordedAndTheCallCompletesOnce() {
        InFlightCall call = call(false);
        FakeResponse original = new FakeResponse("hello", new byte[0], null);
        Object observed = ResultObservers.observe(call, original);

        assertNotSame(original, observed);
        assertInstanceOf(FakeResponseFor.class, observed, "the wrapper has the SDK type's interfaces");
        assertInstanceOf(AutoCloseable.class, observed);
        assertFalse(observed instanceof FakeResponse, "a proxy, not the implementation class");
        assertTrue(sink.calls.isEmpty(), "nothing is known before the application parses");

        @SuppressWarnings("unchecked")
        FakeResponseFor<String> response = (FakeResponseFor<String>) observed;
        assertEquals("hello", response.parse());
        assertEquals(List.of(call), sink.calls);
        assertEquals("hello", call.response());
        assertTrue(call.isCompleted());
        assertFalse(call.interrupted());
        assertNull(call.error());
        assertTrue(call.endEpochNanos() >= call.startEpochNanos);

        response.parse();
        response.close();
        assertEquals(1, sink.calls.size(), "completed once, whatever follows");
        assertEquals(1, original.closes, "close reaches the real response");
        assertEquals(observed, observed);
    }

    @Test
    void streamItemsAreRecordedInOrderAndTheEndCompletesTheCall() {
        InFlightCall call = call(true);
        FakeStream original = new FakeStream(List.of("a", "b", "c"), null);
        @SuppressWarnings("unchecked")
        FakeStreamResponse<String> response = (FakeStreamResponse<String>) ResultObservers.observe(call, original);

        try (response) {
            assertEquals(List.of("a", "b", "c"), response.stream().collect(Collectors.toList()));
            assertEquals(1, sink.calls.size(), "the end of the stream completes the call, before close");
        }
        assertEquals(1, sink.calls.size());
        assertTrue(original.closed);
        assertEquals(List.of("a", "b", "c"), call.streamItems());
        assertFalse(call.interrupted());
        assertTrue(call.firstOutputEpochNanos() > 0);
        assertEquals(call.firstOutputEpochNanos(), call.streamItemTime(0));
        assertTrue(call.streamItemTime(1) >= call.streamItemTime(0));
        assertTrue(call.streamItemTime(2) >= call.streamItemTime(1));
        assertEquals(0, call.streamItemTime(3));
    }

    @Test
    void closingAStreamEarlyMarksTheCallInterrupted() {
        InFlightCall call = call(true);
        @SuppressWarnings("unchecked")
        FakeStreamResponse<String> response = (FakeStreamResponse<String>) ResultObservers.observe(call,
                new FakeStream(List.of("a", "b", "c"), null));

        Iterator<String> items = response.stream().iterator();
        assertEquals("a", items.next());
        assertTrue(sink.calls.isEmpty());
        response.close();

        assertEquals(1, sink.calls.size());
        assertTrue(call.interrupted());
        assertEquals(List.of("a"), call.streamItems());
    }

    @Test
    void anExceptionInsideTheStreamPropagatesAndIsRecorded() {
        InFlightCall call = call(true);
        IllegalStateException failure = new IllegalStateException("connection reset mid-stream");
        @SuppressWarnings("unchecked")
        FakeStreamResponse<String> response = (FakeStreamResponse<String>) ResultObservers.observe(call,
                new FakeStream(List.of("a"), failure));

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> response.stream().forEach(item -> { }));
        assertSame(failure, thrown);
        assertSame(failure, call.error());
        assertEquals(List.of("a"), call.streamItems());
        assertEquals(1, sink.calls.size());
    }

    @Test
    void bodyBytesAreCountedAndTheFirstByteTimed() throws IOException {
        InFlightCall call = call(false);
        byte[] audio = new byte[10_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        @SuppressWarnings("unchecked")
        FakeResponseFor<String> response = (FakeResponseFor<String>) ResultObservers.observe(call,
                new FakeResponse(null, audio, null));

        assertEquals(-1, call.bodyBytes(), "no body opened yet");
        try (InputStream body = response.body()) {
            assertEquals(0, call.firstOutputEpochNanos());
            assertEquals(audio[0] & 0xff, body.read());
            assertTrue(call.firstOutputEpochNanos() > 0, "first byte time noted");
            byte[] rest = body.readAllBytes();
            assertEquals(audio.length - 1, rest.length);
            assertEquals(audio[1], rest[0], "bytes pass through unchanged");
        }
        assertEquals(audio.length, call.bodyBytes());
        assertEquals(1, sink.calls.size(), "reading to the end completes the call");
        assertFalse(call.interrupted());
        response.close();
        assertEquals(1, sink.calls.size());
    }

    @Test
    void closingBeforeTheBodyEndsMarksTheCallInterrupted() throws IOException {
        InFlightCall call = call(false);
        @SuppressWarnings("unchecked")
        FakeResponseFor<String> response = (FakeResponseFor<String>) ResultObservers.observe(call,
                new FakeResponse(null, new byte[4096], null));
        byte[] buffer = new byte[1000];
        assertEquals(1000, response.body().readNBytes(buffer, 0, 1000));
        response.close();
        assertEquals(1000, call.bodyBytes());
        assertTrue(call.interrupted());
        assertEquals(1, sink.calls.size());
    }

    @Test
    void aFailedReadOfTheBodyPropagatesUnchangedAndIsRecorded() throws IOException {
        IOException reset = new IOException("connection reset");
        for (boolean bulk : new boolean[] {false, true}) {
            InFlightCall call = call(false);
            @SuppressWarnings("unchecked")
            FakeResponseFor<String> response = (FakeResponseFor<String>) ResultObservers.observe(call,
                    new ResetAfterThreeBytes(reset));
            InputStream body = response.body();
            IOException thrown;
            if (bulk) {
                assertEquals(3, body.read(new byte[8], 0, 8));
                thrown = assertThrows(IOException.class, () -> body.read(new byte[8], 0, 8));
            } else {
                for (int i = 0; i < 3; i++) {
                    assertEquals(i, body.read());
                }
                thrown = assertThrows(IOException.class, body::read);
            }
            assertSame(reset, thrown, "the application sees the stream's own exception");
            assertSame(reset, call.error(), bulk ? "bulk read" : "single-byte read");
            assertEquals(3, call.bodyBytes(), "the bytes read before the failure are counted");
        }
    }

    /** A response whose body gives three bytes, then fails as a reset connection does. */
    private static final class ResetAfterThreeBytes implements FakeResponseFor<String> {
        private final IOException reset;

        ResetAfterThreeBytes(IOException reset) {
            this.reset = reset;
        }

        @Override
        public String parse() {
            return null;
        }

        @Override
        public InputStream body() {
            return new InputStream() {
                private int served;

                @Override
                public int read() throws IOException {
                    if (served == 3) {
                        throw reset;
                    }
                    return served++;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (served == 3) {
                        throw reset;
                    }
                    int n = Math.min(length, 3 - served);
                    for (int i = 0; i < n; i++) {
                        buffer[offset + i] = (byte) served++;
                    }
                    return n;
                }
            };
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anExceptionFromParsePropagatesUnchangedAndIsRecorded() {
        InFlightCall call = call(false);
        IllegalArgumentException failure = new IllegalArgumentException("400: invalid model");
        @SuppressWarnings("unchecked")
        FakeResponseFor<String> response = (FakeResponseFor<String>) ResultObservers.observe(call,
                new FakeResponse(null, new byte[0], failure));

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, response::parse);
        assertSame(failure, thrown);
        assertSame(failure, call.error());
        assertEquals(1, sink.calls.size());
        assertNull(call.response());
    }

    @Test
    void aFailedFutureStillFailsForTheCallerWithTheSameCause() throws Exception {
        InFlightCall call = call(false);
        CompletableFuture<FakeResponseFor<String>> future = new CompletableFuture<>();
        Object observed = ResultObservers.observe(call, future);
        assertInstanceOf(CompletableFuture.class, observed);
        CompletableFuture<?> result = (CompletableFuture<?>) observed;

        IllegalStateException failure = new IllegalStateException("503 from upstream");
        future.completeExceptionally(failure);

        ExecutionException viaGet = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        assertSame(failure, viaGet.getCause());
        CompletionException viaJoin = assertThrows(CompletionException.class, result::join);
        assertSame(failure, viaJoin.getCause());
        assertSame(failure, call.error());
        assertEquals(1, sink.calls.size());
    }

    @Test
    void aFutureWrappedInCompletionExceptionKeepsItsCause() {
        InFlightCall call = call(false);
        CompletableFuture<Object> future = new CompletableFuture<>();
        CompletableFuture<?> result = (CompletableFuture<?>) ResultObservers.observe(call, future);
        RuntimeException failure = new RuntimeException("timeout");
        future.completeExceptionally(new CompletionException(failure));
        assertSame(failure, assertThrows(CompletionException.class, result::join).getCause());
        assertSame(failure, call.error(), "the recorded error is unwrapped");
    }

    @Test
    void aSuccessfulFutureYieldsAnObservedResponse() throws Exception {
        InFlightCall call = call(false);
        CompletableFuture<FakeResponseFor<String>> future = new CompletableFuture<>();
        CompletableFuture<?> result = (CompletableFuture<?>) ResultObservers.observe(call, future);
        future.complete(new FakeResponse("async", new byte[0], null));

        Object value = result.get(10, TimeUnit.SECONDS);
        assertInstanceOf(FakeResponseFor.class, value);
        assertTrue(sink.calls.isEmpty());
        assertEquals("async", ((FakeResponseFor<?>) value).parse());
        assertEquals("async", call.response());
        assertEquals(1, sink.calls.size());
    }

    @Test
    void plainValuesAndNullCompleteAtOnce() {
        InFlightCall plain = call(false);
        // An already parsed model object: no parse(), stream() or body() to observe.
        Object value = new StringBuilder("already parsed");
        assertSame(value, ResultObservers.observe(plain, value));
        assertSame(value, plain.response());
        assertTrue(plain.isCompleted());

        InFlightCall none = call(false);
        assertNull(ResultObservers.observe(none, null));
        assertTrue(none.isCompleted());
        assertEquals(2, sink.calls.size());
    }

    @Test
    void callTrackerStartsOnlyRegisteredCallsAndObservesTheirResults() {
        OperationRegistry registry = new OperationRegistry();
        OperationSpec spec = spec(false);
        registry.register(FakeParams.class.getName(), "create", spec);
        CallTracker tracker = new CallTracker(registry, sink, new ContextSessionReader("sessionId"));

        assertNull(tracker.onEnter("delete", new FakeParams()), "unregistered method");
        assertNull(tracker.onEnter("create", "not the params type"));
        assertNull(tracker.onEnter("create", null));

        FakeParams params = new FakeParams();
        Object handle = tracker.onEnter("create", params);
        assertNotNull(handle);
        InFlightCall call = (InFlightCall) handle;
        assertSame(spec, call.spec());
        assertSame(params, call.request());
        assertEquals(-1, call.requestContentBytes());
        assertNull(call.contextSessionId);

        FakeResponse original = new FakeResponse("done", new byte[0], null);
        Object returned = tracker.onExit(handle, original, null);
        assertInstanceOf(FakeResponseFor.class, returned);
        assertEquals("done", ((FakeResponseFor<?>) returned).parse());
        assertEquals(List.of(call), sink.calls);

        Object failedHandle = tracker.onEnter("create", new FakeParams());
        RuntimeException failure = new RuntimeException("401");
        assertNull(tracker.onExit(failedHandle, null, failure));
        assertSame(failure, ((InFlightCall) failedHandle).error());
        assertEquals(2, sink.calls.size());
    }

    @Test
    void streamLengthIsCapped() {
        InFlightCall call = call(true);
        for (int i = 0; i < InFlightCall.MAX_STREAM_ITEMS + 5; i++) {
            call.onStreamItem(i);
        }
        assertEquals(InFlightCall.MAX_STREAM_ITEMS, call.streamItems().size());
        assertTrue(call.streamItemsTruncated());
        assertArrayEquals(new Object[] {0, 1}, call.streamItems().subList(0, 2).toArray());
    }
}
