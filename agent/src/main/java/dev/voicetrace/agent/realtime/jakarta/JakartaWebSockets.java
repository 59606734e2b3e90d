package dev.voicetrace.agent.realtime.jakarta;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.realtime.ObservedSocket;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.SocketRuntime;
import dev.voicetrace.bootstrap.SocketHooks;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Jakarta WebSocket client API, whichever implementation serves it (Tyrus, Tomcat, Jetty):
 * {@code WebSocketContainer.connectToServer} is where a socket is recognised by its URI. A
 * vendor's socket gets an {@link ObservedSocket} that the hooks find through every object the API
 * reaches it by: the endpoint passed in (or the container's wrapper of an annotated endpoint,
 * constructed during the call), the {@code Session} it opens, that session's remote endpoints
 * and the message handlers added to it. The agent never names a Jakarta type: it only holds
 * references. Any other socket costs one endpoint lookup here.
 */
public final class JakartaWebSockets {

    /** The operation key the instrumentation binds to {@code connectToServer}. */
    public static final String KEY = "jakarta.websocket.WebSocketContainer.connectToServer";
    static final String CLIENT = "jakarta.websocket";

    private JakartaWebSockets() {}

    public static void register(OperationRegistry registry, SocketRuntime runtime) {
        Map<SocketProtocol, OperationSpec> specs = new ConcurrentHashMap<>();
        registry.registerRouter(KEY, (container, arguments) -> {
            URI uri = uriOf(arguments);
            if (uri == null) {
                return null;
            }
            SocketProtocol protocol = runtime.endpoints().match(uri.getHost(), uri.getPort(), uri.getRawPath());
            return protocol == null ? null : specs.computeIfAbsent(protocol, p -> spec(p, runtime));
        });
    }

    /** {@code connectToServer}'s URI: its last argument in every overload. */
    static URI uriOf(Object[] arguments) {
        if (arguments.length < 2 || !(arguments[arguments.length - 1] instanceof URI)) {
            return null;
        }
        return (URI) arguments[arguments.length - 1];
    }

    /**
     * The socket's opening, as a call that is never recorded itself (an overload that funnels
     * into another is the same opening: the spec is outermost). A connect that throws ends the
     * socket as failed.
     */
    private static OperationSpec spec(SocketProtocol protocol, SocketRuntime runtime) {
        CallExtractor connectOutcome = (call, record) -> {
            if (record.error != null && call.response() instanceof ObservedSocket) {
                ((ObservedSocket) call.response()).onFailed(null);
            }
            throw CallExtractor.NotRecorded.INSTANCE;
        };
        CallObserver observer = new CallObserver() {
            @Override
            public void onArguments(InFlightCall call, Object[] arguments) {
                URI uri = uriOf(arguments);
                ObservedSocket socket = runtime.open(protocol, CLIENT, uri.getHost(), uri.getRawPath(),
                        uri.getRawQuery(), call.contextSessionId);
                call.onResponse(socket);
                if (arguments[0] != null && !(arguments[0] instanceof Class)) {
                    // the application's Endpoint, or its annotated endpoint object
                    socket.observeAlso(arguments[0]);
                }
                // an endpoint the container makes inside this call (from a class, or wrapping an
                // annotated object) is this socket's
                SocketHooks.connecting(new Connecting(call, socket));
            }

            @Override
            public Object onResult(InFlightCall call, Object result) {
                SocketHooks.connecting(null);
                if (result != null && call.response() instanceof ObservedSocket) {
                    // the Session: the container may have opened it on another thread
                    ((ObservedSocket) call.response()).observeAlso(result);
                }
                return result;
            }
        };
        return new OperationSpec(protocol.provider(), "socket", StageKind.LLM, true, connectOutcome, observer, true);
    }

    /**
     * The socket being connected on a thread, for the endpoints constructed meanwhile; inert once
     * the connect call has ended (a connect that threw leaves it behind until the next one).
     */
    private static final class Connecting implements dev.voicetrace.bootstrap.SocketFrames {
        private final InFlightCall call;
        private final ObservedSocket socket;

        Connecting(InFlightCall call, ObservedSocket socket) {
            this.call = call;
            this.socket = socket;
        }

        @Override
        public void observeAlso(Object handle) {
            if (!call.isCompleted()) {
                socket.observeAlso(handle);
            }
        }

        @Override
        public void onSendText(CharSequence text, boolean last) {}

        @Override
        public void onSendBinary(java.nio.ByteBuffer data) {}

        @Override
        public void onSendClose(boolean abort) {}

        @Override
        public void onSend(Object payload) {}

        @Override
        public void onReceived(Object payload) {}

        @Override
        public void onClosed(int code) {}

        @Override
        public void onFailed(Throwable error) {}
    }
}
