package dev.voicetrace.agent.polly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.AbortableInputStream;

/**
 * The Polly observer on stand-ins of the SDK's transformer interfaces: the application's
 * transformer still does the work, the audio is counted as the application reads it.
 */
class PollyObserverTest {

    /** Stands for the SDK's sync {@code ResponseTransformer}. */
    public interface ResponseTransformer<R, T> {
        T transform(R response, AbortableInputStream body) throws Exception;

        default boolean needsConnectionLeftOpen() {
            return false;
        }
    }

    /** Stands for the SDK's {@code AsyncResponseTransformer}. */
    public interface AsyncResponseTransformer<R, T> {
        CompletableFuture<T> prepare();

        void onResponse(R response);

        void onStream(Publisher publisher);

        void exceptionOccurred(Throwable error);
    }

    /** Stands for the SDK's {@code SdkPublisher<ByteBuffer>}. */
    public interface Publisher {
        void subscribe(Subscriber<? super ByteBuffer> subscriber);
    }

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    PollyObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        PollyOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    private static AbortableInputStream body(int size) {
        return AbortableInputStream.create(new ByteArrayInputStream(new byte[size]));
    }

    @SuppressWarnings("unchecked")
    @Test
    void anInputStreamReadToItsEndCountsEveryByte() throws Exception {
        ResponseTransformer<Object, InputStream> toInputStream = (response, body) -> body;
        Object[] arguments = {"request", toInputStream};
        Object handle = tracker.onEnterCall(PollyOperations.SYNC_KEY, arguments);
        assertNotSame(toInputStream, arguments[1], "the transformer is observed");
        // the SDK calls the transformer inside the intercepted method
        InputStream audio = ((ResponseTransformer<Object, InputStream>) arguments[1]).transform("response", body(10_000));
        assertFalse(((ResponseTransformer<Object, InputStream>) arguments[1]).needsConnectionLeftOpen(),
                "default methods answer as the application's transformer does");
        Object result = tracker.onExit(handle, audio, null);
        assertSame(audio, result, "the application gets what its transformer made");
        assertTrue(finished.isEmpty(), "the call lasts while the application reads");

        byte[] buffer = new byte[4096];
        long read = 0;
        for (int n; (n = audio.read(buffer)) >= 0; ) {
            read += n;
        }
        audio.close();
        assertEquals(10_000, read);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(10_000, call.bodyBytes());
        assertEquals("response", call.response());
        assertFalse(call.interrupted());
        assertTrue(call.firstOutputEpochNanos() > 0);
    }

    @SuppressWarnings("unchecked")
    @Test
    void closingBeforeTheEndIsAnInterruptionAndAbortsThroughTheOriginal() throws Exception {
        ResponseTransformer<Object, InputStream> toInputStream = (response, body) -> body;
        Object[] arguments = {"request", toInputStream};
        Object handle = tracker.onEnterCall(PollyOperations.SYNC_KEY, arguments);
        AbortableInputStream original = body(10_000);
        AbortableInputStream audio = (AbortableInputStream) ((ResponseTransformer<Object, InputStream>) arguments[1])
                .transform("response", original);
        tracker.onExit(handle, audio, null);
        audio.readNBytes(2048);
        audio.abort();
        assertTrue(original.aborted, "an abort reaches the connection");
        audio.close();
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
        assertEquals(2048, finished.get(0).bodyBytes());
    }

    @SuppressWarnings("unchecked")
    @Test
    void aFailingTransformerFailsTheCallAndAnUnusedOneEndsItAtReturn() throws Exception {
        ResponseTransformer<Object, Object> failing = (response, body) -> {
            throw new IOException("disk full");
        };
        Object[] arguments = {"request", failing};
        Object handle = tracker.onEnterCall(PollyOperations.SYNC_KEY, arguments);
        IOException thrown = null;
        try {
            ((ResponseTransformer<Object, Object>) arguments[1]).transform("response", body(10));
        } catch (IOException e) {
            thrown = e;
        }
        tracker.onExit(handle, null, thrown);
        assertEquals(1, finished.size());
        assertEquals("disk full", finished.get(0).error().getMessage());

        Object[] again = {"request", (ResponseTransformer<Object, Object>) (response, body) -> "unused"};
        tracker.onExit(tracker.onEnterCall(PollyOperations.SYNC_KEY, again), "result", null);
        assertEquals(2, finished.size(), "a call whose transformer never ran ends when the method returns");
        assertNull(finished.get(1).error());
    }

    @SuppressWarnings("unchecked")
    @Test
    void asyncBytesAreCountedBeforeTheSubscriberSeesThemAndTheStreamEndEndsTheCall() throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        AsyncResponseTransformer<Object, Long> toCount = new AsyncResponseTransformer<>() {
            @Override
            public CompletableFuture<Long> prepare() {
                return result;
            }

            @Override
            public void onResponse(Object response) {}

            @Override
            public void onStream(Publisher publisher) {
                long[] total = new long[1];
                publisher.subscribe(new Subscriber<ByteBuffer>() {
                    @Override
                    public void onSubscribe(Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        // consuming the buffer empties it, as real subscribers do
                        total[0] += item.remaining();
                        item.position(item.limit());
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                        result.complete(total[0]);
                    }
                });
            }

            @Override
            public void exceptionOccurred(Throwable error) {}
        };
        Object[] arguments = {"request", toCount};
        Object handle = tracker.onEnterCall(PollyOperations.ASYNC_KEY, arguments);
        AsyncResponseTransformer<Object, Long> observed = (AsyncResponseTransformer<Object, Long>) arguments[1];
        CompletableFuture<Long> future = observed.prepare();
        assertSame(result, tracker.onExit(handle, future, null), "the application's future is returned");
        // the SDK delivers the response and the body later, on its own threads
        observed.onResponse("response");
        observed.onStream(subscriber -> {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onNext(ByteBuffer.wrap(new byte[3000]));
            subscriber.onNext(ByteBuffer.wrap(new byte[1200]));
            subscriber.onComplete();
        });
        assertEquals(4200L, future.get());
        assertEquals(1, finished.size());
        assertEquals(4200, finished.get(0).bodyBytes());
        assertEquals("response", finished.get(0).response());
        assertFalse(finished.get(0).interrupted());
    }
}
