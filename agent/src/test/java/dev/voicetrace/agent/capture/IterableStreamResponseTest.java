package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.model.StageKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A streamed response that is also {@link Iterable}, with a default {@code iterator()} over its own
 * {@code stream()}, as anthropic-java's {@code StreamResponse} is: every way of reading it is seen.
 */
class IterableStreamResponseTest {

    /** Shaped like anthropic-java's StreamResponse. */
    public interface IterableStreamResponse<T> extends Iterable<T>, AutoCloseable {
        Stream<T> stream();

        @Override
        default Iterator<T> iterator() {
            return stream().iterator();
        }

        @Override
        void close();
    }

    static final class FakeIterableStream implements IterableStreamResponse<String> {
        final List<String> items;
        boolean closed;

        FakeIterableStream(List<String> items) {
            this.items = items;
        }

        @Override
        public Stream<String> stream() {
            return items.stream();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ResultObserversTest.RecordingSink sink = new ResultObserversTest.RecordingSink();

    private InFlightCall call() {
        return new InFlightCall(new OperationSpec("fake", "things.create", StageKind.LLM, true, (c, r) -> { }),
                null, new Object[] {new ResultObserversTest.FakeParams()}, sink, EpochClock.now(), null, 0, -1);
    }

    @SuppressWarnings("unchecked")
    private static IterableStreamResponse<String> observe(InFlightCall call, FakeIterableStream original) {
        return (IterableStreamResponse<String>) ResultObservers.observe(call, original);
    }

    @Test
    void aForEachLoopIsObserved() {
        InFlightCall call = call();
        FakeIterableStream original = new FakeIterableStream(List.of("a", "b", "c"));
        List<String> seen = new ArrayList<>();
        try (IterableStreamResponse<String> response = observe(call, original)) {
            for (String item : response) {
                seen.add(item);
            }
        }
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals(List.of("a", "b", "c"), call.streamItems());
        assertEquals(1, sink.calls.size());
        assertFalse(call.interrupted());
        assertTrue(original.closed);
        assertTrue(call.streamItemTime(0) > 0);
    }

    @Test
    void iterableForEachAndSpliteratorAreObserved() {
        InFlightCall viaForEach = call();
        List<String> seen = new ArrayList<>();
        try (IterableStreamResponse<String> response = observe(viaForEach, new FakeIterableStream(List.of("x", "y")))) {
            response.forEach(seen::add);
        }
        assertEquals(List.of("x", "y"), seen);
        assertEquals(List.of("x", "y"), viaForEach.streamItems());
        assertFalse(viaForEach.interrupted());

        InFlightCall viaSpliterator = call();
        try (IterableStreamResponse<String> response = observe(viaSpliterator, new FakeIterableStream(List.of("p")))) {
            assertEquals(List.of("p"), StreamSupport.stream(response.spliterator(), false).collect(Collectors.toList()));
        }
        assertEquals(List.of("p"), viaSpliterator.streamItems());
        assertEquals(2, sink.calls.size());
    }

    @Test
    void leavingTheLoopEarlyMarksTheCallInterrupted() {
        InFlightCall call = call();
        try (IterableStreamResponse<String> response = observe(call, new FakeIterableStream(List.of("a", "b", "c")))) {
            for (String item : response) {
                if (item.equals("a")) {
                    break;
                }
            }
            assertTrue(sink.calls.isEmpty());
        }
        assertEquals(1, sink.calls.size());
        assertTrue(call.interrupted());
        assertEquals(List.of("a"), call.streamItems());
    }
}
