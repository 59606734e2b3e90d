package dev.voicetrace.agent.polly;

import dev.voicetrace.agent.awssdk.ObservedAudioStream;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import dev.voicetrace.agent.capture.ReactiveStreamTap;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Observes Polly's {@code synthesizeSpeech(request, transformer)}: the response transformer the
 * application passed (sync {@code ResponseTransformer} or {@code AsyncResponseTransformer}) is
 * replaced by a proxy of the same interfaces that hands the SDK's response to the call and the
 * audio body on as the application reads it. Everything else is forwarded unchanged.
 */
final class PollyObserver implements CallObserver {

    static final String ABORTABLE = "software.amazon.awssdk.http.Abortable";

    private final boolean async;

    PollyObserver(boolean async) {
        this.async = async;
    }

    /** Per call: whether the audio body reached the transformer (else the method's end ends the call). */
    private static final class BodySeen extends AtomicBoolean {}

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        SEEN_ON_THREAD.remove();
        if (arguments.length < 2 || arguments[1] == null) {
            return;
        }
        BodySeen seen = new BodySeen();
        Object transformer = arguments[1];
        Object proxy = InterfaceProxies.proxy(transformer, async
                ? new AsyncTransformerHandler(call, transformer, seen)
                : new SyncTransformerHandler(call, transformer, seen));
        if (proxy != null) {
            arguments[1] = proxy;
            SEEN_ON_THREAD.set(seen);
        }
    }

    @Override
    public Object onResult(InFlightCall call, Object result) {
        BodySeen seen = SEEN_ON_THREAD.get();
        SEEN_ON_THREAD.remove();
        if (async && result instanceof CompletableFuture) {
            ((CompletableFuture<?>) result).whenComplete((value, thrown) -> {
                if (thrown != null) {
                    call.fail(thrown);
                } else if (seen == null || !seen.get()) {
                    call.complete(false);
                }
            });
            return result;
        }
        if (seen == null || !seen.get()) {
            call.complete(false);
        }
        return result;
    }

    /**
     * The body-seen flag of the call whose intercepted method runs on this thread, from its start
     * to its return (a call that throws leaves it for the next call to replace).
     */
    private static final ThreadLocal<BodySeen> SEEN_ON_THREAD = new ThreadLocal<>();

    /** {@code ResponseTransformer.transform(response, AbortableInputStream)}. */
    static final class SyncTransformerHandler extends ForwardingHandler {
        private final InFlightCall call;
        private final BodySeen seen;

        SyncTransformerHandler(InFlightCall call, Object target, BodySeen seen) {
            super(target);
            this.call = call;
            this.seen = seen;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("transform".equals(name) && args.length == 2) {
                call.onResponse(args[0]);
                Object[] observed = args;
                Object body = observedBody(args[1]);
                if (body != null) {
                    seen.set(true);
                    observed = new Object[] {args[0], body};
                }
                try {
                    return forward(method, observed);
                } catch (Throwable t) {
                    call.fail(t);
                    throw t;
                }
            }
            return forward(method, args);
        }

        /** A new {@code AbortableInputStream} over the observed body, aborting through the original. */
        private Object observedBody(Object original) {
            if (!(original instanceof InputStream)) {
                return null;
            }
            Method create = CREATE.get(original.getClass());
            if (create == null) {
                return null;
            }
            try {
                return create.invoke(null, new ObservedAudioStream((InputStream) original, call), original);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        private static final ClassValue<Method> CREATE = new ClassValue<Method>() {
            @Override
            protected Method computeValue(Class<?> type) {
                for (Class<?> i : type.getInterfaces()) {
                    if (ABORTABLE.equals(i.getName())) {
                        try {
                            return type.getMethod("create", InputStream.class, i);
                        } catch (NoSuchMethodException e) {
                            return null;
                        }
                    }
                }
                return null;
            }
        };
    }

    /** {@code AsyncResponseTransformer}: the response, then a publisher of the body's byte buffers. */
    static final class AsyncTransformerHandler extends ForwardingHandler {
        private final InFlightCall call;
        private final BodySeen seen;

        AsyncTransformerHandler(InFlightCall call, Object target, BodySeen seen) {
            super(target);
            this.call = call;
            this.seen = seen;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if (args.length == 1) {
                if ("onResponse".equals(name)) {
                    call.onResponse(args[0]);
                } else if ("onStream".equals(name) && args[0] != null) {
                    Object publisher = new BodyTap(call, seen).tap(args[0]);
                    if (publisher != null) {
                        return forward(method, new Object[] {publisher});
                    }
                }
            }
            return forward(method, args);
        }
    }

    /**
     * The body's buffers: the first subscriber opens the body, each buffer is counted before the
     * subscriber consumes it, the end ends the call, and a cancel before the end marks it
     * interrupted (the application stopped listening early).
     */
    static final class BodyTap extends ReactiveStreamTap {
        private final InFlightCall call;
        private final BodySeen seen;

        BodyTap(InFlightCall call, BodySeen seen) {
            this.call = call;
            this.seen = seen;
        }

        @Override
        protected void onSubscribe() {
            seen.set(true);
            call.onBodyOpened();
        }

        @Override
        protected void onNext(Object item) {
            if (item instanceof ByteBuffer) {
                call.onBodyBytes(((ByteBuffer) item).remaining());
            }
        }

        @Override
        protected void onError(Throwable error) {
            call.fail(error);
        }

        @Override
        protected void onComplete() {
            call.complete(false);
        }

        @Override
        protected void onCancel() {
            call.complete(true);
        }

        @Override
        protected boolean observesCancel() {
            return true;
        }
    }
}
