package dev.voicetrace.agent.capture;

import java.util.Spliterator;
import java.util.function.Consumer;

/** Passes stream items through unchanged, noting each one and the end of the stream. */
final class ObservingSpliterator implements Spliterator<Object> {

    private final Spliterator<Object> delegate;
    private final InFlightCall call;
    private final Runnable onEnd;

    ObservingSpliterator(Spliterator<Object> delegate, InFlightCall call, Runnable onEnd) {
        this.delegate = delegate;
        this.call = call;
        this.onEnd = onEnd;
    }

    @Override
    public boolean tryAdvance(Consumer<? super Object> action) {
        boolean advanced;
        InFlightCall previous = StreamWireMessages.advancing(call);
        try {
            advanced = delegate.tryAdvance(item -> {
                call.onStreamItem(item);
                action.accept(item);
            });
        } catch (RuntimeException | Error e) {
            call.fail(e);
            throw e;
        } finally {
            StreamWireMessages.done(previous);
        }
        if (!advanced) {
            onEnd.run();
        }
        return advanced;
    }

    @Override
    public Spliterator<Object> trySplit() {
        // Items must be seen in order, once: never split.
        return null;
    }

    @Override
    public long estimateSize() {
        return delegate.estimateSize();
    }

    @Override
    public int characteristics() {
        return delegate.characteristics() & ~(SIZED | SUBSIZED);
    }
}
