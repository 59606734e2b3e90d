package dev.voicetrace.agent.capture;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Forwards every method to the wrapped response and notes, on the way, what the application
 * consumed: the parsed value, stream items, body bytes, and when it closed the response.
 */
final class ObservingHandler extends ForwardingHandler {

    private final InFlightCall call;
    /** Set when the application started reading items or bytes; cleared again at their end. */
    private volatile boolean consumingUnfinished;

    ObservingHandler(InFlightCall call, Object target) {
        super(target);
        this.call = call;
    }

    @Override
    protected Object intercept(String name, Method method, Object[] args) throws Throwable {
        if (args.length == 0) {
            switch (name) {
                case "parse":
                    return parse(method);
                case "stream":
                    return stream(method);
                case "body":
                    return body(method);
                case "iterator":
                    return viaStream(method) ? observedStream().iterator() : forward(method, args);
                case "spliterator":
                    return viaStream(method) ? observedStream().spliterator() : forward(method, args);
                case "close":
                    try {
                        return forward(method, args);
                    } finally {
                        call.complete(consumingUnfinished);
                    }
                default:
                    return forward(method, args);
            }
        }
        if ("forEach".equals(name) && args.length == 1 && args[0] instanceof Consumer
                && viaStream(method)) {
            @SuppressWarnings("unchecked")
            Consumer<Object> action = (Consumer<Object>) args[0];
            observedStream().forEach(action);
            return null;
        }
        return forward(method, args);
    }

    private Object parse(Method method) throws Throwable {
        Object parsed;
        ResponseBodies.Parse previous = ResponseBodies.parsing(call);
        try {
            parsed = forward(method, null);
        } catch (Throwable t) {
            call.fail(t);
            throw t;
        } finally {
            ResponseBodies.parsed(previous);
        }
        if (parsed != null && ResultObservers.isStreamable(parsed)) {
            return ResultObservers.wrap(call, parsed);
        }
        call.onResponse(parsed);
        call.complete(false);
        return parsed;
    }

    private Object stream(Method method) throws Throwable {
        Object result = forward(method, null);
        if (!(result instanceof Stream)) {
            return result;
        }
        Stream<?> original = (Stream<?>) result;
        consumingUnfinished = true;
        @SuppressWarnings("unchecked")
        Spliterator<Object> observed = new ObservingSpliterator((Spliterator<Object>) original.spliterator(), call,
                this::onConsumedToEnd);
        // Closing the stream alone (try-with-resources on it) ends the call as closing the response does.
        return StreamSupport.stream(observed, false).onClose(() -> {
            try {
                original.close();
            } finally {
                call.complete(consumingUnfinished);
            }
        });
    }

    /**
     * A streamed response that is also {@link Iterable} (anthropic-java's is) iterates through its
     * own {@code stream()}, on the target, unseen: its iteration methods are served from the
     * observed stream instead.
     */
    private boolean viaStream(Method method) {
        // the declaring type is Iterable or a subtype overriding iterator() (anthropic-java's does)
        return Iterable.class.isAssignableFrom(method.getDeclaringClass()) && ResultObservers.isStreamable(target);
    }

    @SuppressWarnings("unchecked")
    private Stream<Object> observedStream() throws Throwable {
        return (Stream<Object>) stream(target.getClass().getMethod("stream"));
    }

    private Object body(Method method) throws Throwable {
        Object result = forward(method, null);
        if (!(result instanceof InputStream) || result instanceof ObservingInputStream) {
            return result;
        }
        consumingUnfinished = true;
        call.onBodyOpened();
        return new ObservingInputStream((InputStream) result, call, this::onConsumedToEnd);
    }

    private void onConsumedToEnd() {
        consumingUnfinished = false;
        call.complete(false);
    }
}
