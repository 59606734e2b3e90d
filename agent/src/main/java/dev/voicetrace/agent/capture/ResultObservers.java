package dev.voicetrace.agent.capture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Wraps what an intercepted method returns so that the call is observed as the application
 * consumes it: a lazily parsed response, a stream of items, a binary body, or a future of any of
 * these. It relies only on the method names that HTTP-client SDKs generated in the common style
 * share ({@code parse()}, {@code stream()}, {@code body()}, {@code close()}), so it serves every
 * such SDK. A wrapper implements exactly the interfaces of the object it wraps, so the
 * application's code sees the same types.
 */
public final class ResultObservers {

    /** Which of the SDK response shapes a type has. */
    private static final ClassValue<Shape> SHAPES = new ClassValue<Shape>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            boolean closeable = AutoCloseable.class.isAssignableFrom(type);
            return new Shape(closeable && returnsFromNoArg(type, "parse", Object.class),
                    closeable && returnsFromNoArg(type, "stream", java.util.stream.Stream.class),
                    closeable && returnsFromNoArg(type, "body", java.io.InputStream.class));
        }
    };

    private ResultObservers() {}

    static final class Shape {
        final boolean parseable;
        final boolean streamable;
        final boolean hasBody;

        Shape(boolean parseable, boolean streamable, boolean hasBody) {
            this.parseable = parseable;
            this.streamable = streamable;
            this.hasBody = hasBody;
        }

        boolean observable() {
            return parseable || streamable || hasBody;
        }
    }

    /** Returns what the intercepted method should return instead of {@code result}. */
    public static Object observe(InFlightCall call, Object result) {
        if (result instanceof CompletableFuture) {
            return observeFuture(call, (CompletableFuture<?>) result);
        }
        return wrap(call, result);
    }

    private static CompletableFuture<Object> observeFuture(InFlightCall call, CompletableFuture<?> future) {
        return future.handle((value, thrown) -> {
            if (thrown != null) {
                call.fail(thrown);
                throw thrown instanceof CompletionException
                        ? (CompletionException) thrown : new CompletionException(thrown);
            }
            return wrap(call, value);
        });
    }

    static Object wrap(InFlightCall call, Object value) {
        if (value == null) {
            call.complete(false);
            return null;
        }
        Shape shape = SHAPES.get(value.getClass());
        if (!shape.observable()) {
            call.onResponse(value);
            call.complete(false);
            return value;
        }
        if (shape.hasBody || shape.parseable) {
            call.onRawResponse(value);
        }
        Object observed = InterfaceProxies.proxy(value, new ObservingHandler(call, value));
        if (observed == null) {
            // A non-public interface, say: give the application its object untouched.
            call.complete(false);
            return value;
        }
        return observed;
    }

    static boolean isStreamable(Object value) {
        return SHAPES.get(value.getClass()).streamable;
    }

    /**
     * Whether the type has a public no-argument method of that name returning the given type:
     * only closeable responses of the SDK style are wrapped, never a list that happens to have
     * {@code stream()}.
     */
    private static boolean returnsFromNoArg(Class<?> type, String name, Class<?> returnType) {
        try {
            return returnType.isAssignableFrom(type.getMethod(name).getReturnType());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
