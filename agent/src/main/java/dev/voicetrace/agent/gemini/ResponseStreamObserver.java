package dev.voicetrace.agent.gemini;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Observes google-genai's {@code ResponseStream}, a concrete class that cannot be wrapped: the
 * call that produced a stream is remembered per stream object, and the stream's own
 * {@code iterator()} and {@code close()} (instrumented with the stream as receiver) report to it.
 * Items are seen as the application takes them; the call ends when the iterator is exhausted,
 * or when the stream is closed (interrupted if items were left).
 */
final class ResponseStreamObserver {

    /** Per stream, its call; weak keys: a stream the application drops unclosed is forgotten. */
    private final Map<Object, StreamState> streams = Collections.synchronizedMap(new WeakHashMap<>());

    static final class StreamState {
        final InFlightCall call;
        volatile boolean exhausted;

        StreamState(InFlightCall call) {
            this.call = call;
        }
    }

    /** For {@code generateContentStream}: remembers the stream (or the stream a future brings). */
    CallObserver streamResults() {
        return new CallObserver() {
            @Override
            public Object onResult(InFlightCall call, Object result) {
                if (result instanceof CompletableFuture) {
                    return ((CompletableFuture<?>) result).handle((value, thrown) -> {
                        if (thrown != null) {
                            call.fail(thrown);
                            throw thrown instanceof CompletionException
                                    ? (CompletionException) thrown : new CompletionException(thrown);
                        }
                        remember(call, value);
                        return value;
                    });
                }
                remember(call, result);
                return result;
            }
        };
    }

    /** For {@code ResponseStream.iterator()}: the iterator of a remembered stream is observed. */
    CallObserver iterators() {
        return new CallObserver() {
            @Override
            @SuppressWarnings("unchecked")
            public Object onResult(InFlightCall iteratorCall, Object result) {
                StreamState state = streams.get(iteratorCall.receiver());
                if (state == null || !(result instanceof Iterator)) {
                    return result;
                }
                return new ObservingIterator((Iterator<Object>) result, state);
            }
        };
    }

    /** For {@code ResponseStream.close()}: ends the stream's call, interrupted unless it was exhausted. */
    CallObserver closes() {
        return new CallObserver() {
            @Override
            public Object onResult(InFlightCall closeCall, Object result) {
                StreamState state = streams.remove(closeCall.receiver());
                if (state != null) {
                    state.call.complete(!state.exhausted);
                }
                return result;
            }
        };
    }

    private void remember(InFlightCall call, Object stream) {
        if (stream == null) {
            call.complete(false);
            return;
        }
        streams.put(stream, new StreamState(call));
    }


    /** Hands every item on and notes it; the end of the items ends the call. */
    static final class ObservingIterator implements Iterator<Object> {
        private final Iterator<Object> target;
        private final StreamState state;

        ObservingIterator(Iterator<Object> target, StreamState state) {
            this.target = target;
            this.state = state;
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = target.hasNext();
            } catch (RuntimeException | Error e) {
                state.call.fail(e);
                throw e;
            }
            if (!more) {
                state.exhausted = true;
                state.call.complete(false);
            }
            return more;
        }

        @Override
        public Object next() {
            Object item;
            try {
                item = target.next();
            } catch (java.util.NoSuchElementException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                state.call.fail(e);
                throw e;
            }
            state.call.onStreamItem(item);
            return item;
        }

        @Override
        public void remove() {
            target.remove();
        }

        @Override
        public void forEachRemaining(Consumer<? super Object> action) {
            while (hasNext()) {
                action.accept(next());
            }
        }
    }
}
