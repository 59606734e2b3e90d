package dev.voicetrace.agent.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The calls the advice makes for a google-genai stream, replayed on the tracker: the stream a
 * generateContentStream call returns is tied to its call, and its iterator and close report to it.
 */
class ResponseStreamObserverTest {

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    ResponseStreamObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        GeminiOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    /** Stands for a ResponseStream: only its identity matters to the agent. */
    private static final class FakeStream {}

    private Object startStream(Object stream) {
        Object handle = tracker.onEnterCall(GeminiOperations.KEY_GENERATE_STREAM,
                new Object[] {"gemini-2.5-flash", List.of(), null});
        return tracker.onExit(handle, stream, null);
    }

    @SuppressWarnings("unchecked")
    private Iterator<Object> iterator(Object stream, Iterator<?> items) {
        Object handle = tracker.onEnterCall(GeminiOperations.KEY_STREAM_ITERATOR, stream, new Object[0]);
        return (Iterator<Object>) tracker.onExit(handle, items, null);
    }

    private void close(Object stream) {
        Object handle = tracker.onEnterCall(GeminiOperations.KEY_STREAM_CLOSE, stream, new Object[0]);
        tracker.onExit(handle, null, null);
    }

    @Test
    void itemsAreSeenAsTakenAndExhaustionEndsTheCall() {
        FakeStream stream = new FakeStream();
        assertSame(stream, startStream(stream), "the application keeps its own stream");
        assertTrue(finished.isEmpty());

        Iterator<Object> items = iterator(stream, List.of("a", "b", "c").iterator());
        List<Object> taken = new ArrayList<>();
        items.forEachRemaining(taken::add);
        close(stream);

        assertEquals(List.of("a", "b", "c"), taken);
        assertEquals(1, finished.size(), "closing after the end does not end the call again");
        InFlightCall call = finished.get(0);
        assertEquals(List.of("a", "b", "c"), call.streamItems());
        assertFalse(call.interrupted());
        assertTrue(call.streamItemTime(0) > 0 && call.streamItemTime(0) <= call.streamItemTime(2));
    }

    @Test
    void closingWithItemsLeftIsAnInterruption() {
        FakeStream stream = new FakeStream();
        startStream(stream);
        Iterator<Object> items = iterator(stream, List.of("a", "b", "c").iterator());
        assertEquals("a", items.next());
        assertTrue(finished.isEmpty());

        close(stream);

        assertEquals(1, finished.size());
        assertTrue(finished.get(0).interrupted());
        assertEquals(List.of("a"), finished.get(0).streamItems());
    }

    @Test
    void aStreamOfNoTracedCallIsLeftAlone() {
        Iterator<String> original = List.of("x").iterator();
        assertSame(original, iterator(new FakeStream(), original));
        close(new FakeStream());
        assertTrue(finished.isEmpty());
    }

    @Test
    void aFailingIteratorFailsTheCallAndTheApplicationSeesTheError() {
        FakeStream stream = new FakeStream();
        startStream(stream);
        Iterator<Object> broken = new Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new IllegalStateException("connection reset");
            }

            @Override
            public Object next() {
                throw new AssertionError();
            }
        };
        Iterator<Object> items = iterator(stream, broken);
        assertNotSame(broken, items);
        assertThrows(IllegalStateException.class, items::hasNext);
        assertEquals(1, finished.size());
        assertEquals("connection reset", finished.get(0).error().getMessage());
    }

    @Test
    void anAsyncStreamIsTiedToItsCallWhenTheFutureCompletes() {
        FakeStream stream = new FakeStream();
        CompletableFuture<Object> future = new CompletableFuture<>();
        Object returned = startStream(future);
        assertInstanceOf(CompletableFuture.class, returned);
        future.complete(stream);
        assertSame(stream, ((CompletableFuture<?>) returned).join());

        iterator(stream, List.of("a").iterator()).forEachRemaining(item -> {});
        assertEquals(1, finished.size());
        assertEquals(List.of("a"), finished.get(0).streamItems());
    }

    @Test
    void aFailedAsyncStreamIsAFailedCall() {
        CompletableFuture<Object> future = new CompletableFuture<>();
        CompletableFuture<?> returned = (CompletableFuture<?>) startStream(future);
        future.completeExceptionally(new IllegalArgumentException("400 INVALID_ARGUMENT"));

        CompletionException thrown = assertThrows(CompletionException.class, returned::join);
        assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
        assertEquals(1, finished.size());
        assertEquals("400 INVALID_ARGUMENT", finished.get(0).error().getMessage());
    }
}
