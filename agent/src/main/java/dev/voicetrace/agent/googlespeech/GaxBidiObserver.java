package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import dev.voicetrace.bootstrap.TraceContext;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Observes a bidirectional streaming call of Google's client libraries (gax's
 * {@code BidiStreamingCallable.internalCall(responseObserver, onReady, context)}, through which
 * {@code call()}, {@code call(observer)}, {@code splitCall} and {@code bidiStreamingCall} all
 * go). The response observer, the ready observer and the returned client stream are replaced by
 * proxies of the same interfaces. The first message sent or received tells whether the stream is
 * one of the speech streams the agent understands ({@link StreamKind}); any other stream is
 * passed through and its call is never recorded.
 */
final class GaxBidiObserver implements CallObserver {

    private static final ThreadLocal<StreamState> STATE_ON_THREAD = new ThreadLocal<>();

    /**
     * Turn anchors of recognition streams. They start far above the tracker's own anchors (which
     * count from 1), so the two never meet.
     */
    private static final AtomicLong TURN_ANCHORS = new AtomicLong(1L << 48);

    /**
     * A recognition stream is a transcription: like one recognised at its start, it starts a turn
     * in the sending thread's context, so that the calls made in its wake join its turn. It is known
     * only at its first request, which the application sends on the thread that opened it.
     */
    static long startTurn(InFlightCall call) {
        TraceContext current = TraceContext.current();
        long anchor = TURN_ANCHORS.incrementAndGet();
        TraceContext.set(new TraceContext(current != null ? current.sessionId : call.contextSessionId, anchor,
                current != null ? current.attributes : call.contextAttributes()));
        return anchor;
    }

    /** One stream's state, shared by its proxies. */
    static final class StreamState {
        final InFlightCall call;
        private volatile StreamKind kind;
        private volatile boolean foreign;
        private volatile boolean cancelled;

        StreamState(InFlightCall call) {
            this.call = call;
        }

        /** The stream's kind once a message showed it; null while unknown or for a foreign stream. */
        StreamKind recognise(Object message, boolean sent) {
            StreamKind known = kind;
            if (known != null || foreign || message == null) {
                return known;
            }
            synchronized (this) {
                if (kind == null && !foreign) {
                    StreamKind found = sent ? StreamKind.ofRequest(message.getClass())
                            : StreamKind.ofResponse(message.getClass());
                    if (found == null) {
                        foreign = true;
                    } else {
                        StreamCapture capture = new StreamCapture(found);
                        if (sent && found.recognition) {
                            capture.turnAnchor = startTurn(call);
                        }
                        call.onResponse(capture);
                        kind = found;
                    }
                }
                return kind;
            }
        }

        StreamKind kind() {
            return kind;
        }

        boolean foreign() {
            return foreign;
        }

        StreamCapture capture() {
            Object response = call.response();
            return response instanceof StreamCapture ? (StreamCapture) response : null;
        }
    }

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        STATE_ON_THREAD.remove();
        if (arguments.length < 2) {
            return;
        }
        StreamState state = new StreamState(call);
        if (arguments[0] != null) {
            Object observer = InterfaceProxies.proxy(arguments[0], new ResponseObserverHandler(state, arguments[0]));
            if (observer == null) {
                return;
            }
            arguments[0] = observer;
        }
        if (arguments[1] != null) {
            Object ready = InterfaceProxies.proxy(arguments[1], new ReadyObserverHandler(state, arguments[1]));
            if (ready != null) {
                arguments[1] = ready;
            }
        }
        STATE_ON_THREAD.set(state);
    }

    @Override
    public Object onResult(InFlightCall call, Object result) {
        StreamState state = STATE_ON_THREAD.get();
        STATE_ON_THREAD.remove();
        if (state == null || state.call != call || result == null || state.foreign()) {
            return result;
        }
        Object stream = InterfaceProxies.proxy(result, new ClientStreamHandler(state, result));
        return stream == null ? result : stream;
    }

    /** {@code ResponseObserver}: onStart, onResponse, onError, onComplete. */
    static final class ResponseObserverHandler extends ForwardingHandler {
        private final StreamState state;

        ResponseObserverHandler(StreamState state, Object target) {
            super(target);
            this.state = state;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if (state.foreign()) {
                return forward(method, args);
            }
            int count = args.length;
            if ("onResponse".equals(name) && count == 1) {
                if (state.recognise(args[0], false) != null) {
                    state.call.onStreamItem(args[0]);
                }
            } else if ("onStart".equals(name) && count == 1 && args[0] != null) {
                Object controller = InterfaceProxies.proxy(args[0], new ControllerHandler(state, args[0]));
                if (controller != null) {
                    return forward(method, new Object[] {controller});
                }
            } else if ("onError".equals(name) && count == 1 && args[0] instanceof Throwable) {
                if (state.kind() != null && !state.cancelled) {
                    state.call.fail((Throwable) args[0]);
                }
            } else if ("onComplete".equals(name) && count == 0) {
                try {
                    return forward(method, args);
                } finally {
                    if (state.kind() != null) {
                        state.call.complete(false);
                    }
                }
            }
            return forward(method, args);
        }
    }

    /** {@code StreamController}: a cancel by the application ends the call as interrupted. */
    static final class ControllerHandler extends ForwardingHandler {
        private final StreamState state;

        ControllerHandler(StreamState state, Object target) {
            super(target);
            this.state = state;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("cancel".equals(name) && args.length == 0) {
                state.cancelled = true;
                if (state.kind() != null) {
                    state.call.complete(true);
                }
            }
            return forward(method, args);
        }
    }

    /** {@code ClientStreamReadyObserver.onReady(ClientStream)}: the stream it hands out is observed too. */
    static final class ReadyObserverHandler extends ForwardingHandler {
        private final StreamState state;

        ReadyObserverHandler(StreamState state, Object target) {
            super(target);
            this.state = state;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("onReady".equals(name) && args.length == 1 && args[0] != null
                    && !state.foreign()) {
                Object stream = InterfaceProxies.proxy(args[0], new ClientStreamHandler(state, args[0]));
                if (stream != null) {
                    return forward(method, new Object[] {stream});
                }
            }
            return forward(method, args);
        }
    }

    /** {@code ClientStream}: send, closeSend, closeSendWithError, isSendReady. */
    static final class ClientStreamHandler extends ForwardingHandler {
        private final StreamState state;

        ClientStreamHandler(StreamState state, Object target) {
            super(target);
            this.state = state;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if (!state.foreign()) {
                if ("send".equals(name) && args.length == 1) {
                    if (state.recognise(args[0], true) != null) {
                        StreamCapture capture = state.capture();
                        if (capture != null) {
                            capture.onSend(args[0]);
                        }
                    }
                } else if ("closeSend".equals(name) || "closeSendWithError".equals(name)) {
                    StreamCapture capture = state.capture();
                    if (capture != null) {
                        capture.onSendClosed();
                    }
                }
            }
            return forward(method, args);
        }
    }
}
