package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK's {@code java.net.http.WebSocket}: {@code WebSocket.Builder.buildAsync(URI, Listener)}
 * is intercepted; for a vendor's socket the application's listener is replaced by an
 * {@link ObservingJdkListener} that forwards every callback to it (with the JDK's own
 * {@code WebSocket}, which the application keeps), and that the send advice finds in the socket's
 * listener field. Any other socket costs one endpoint lookup here and is never touched again.
 */
public final class JdkWebSockets {

    /** The operation key the instrumentation binds to {@code buildAsync}. */
    public static final String KEY = "java.net.http.WebSocket.buildAsync";
    static final String CLIENT = "java.net.http";

    private JdkWebSockets() {}

    public static void register(OperationRegistry registry, SocketRuntime runtime) {
        Map<SocketProtocol, OperationSpec> specs = new ConcurrentHashMap<>();
        registry.registerRouter(KEY, (builder, arguments) -> {
            if (arguments.length != 2 || !(arguments[0] instanceof URI) || !(arguments[1] instanceof WebSocket.Listener)
                    || arguments[1] instanceof ObservingJdkListener) {
                return null;
            }
            URI uri = (URI) arguments[0];
            SocketProtocol protocol = runtime.endpoints().match(uri.getHost(), uri.getPort(), uri.getRawPath());
            return protocol == null ? null : specs.computeIfAbsent(protocol, p -> spec(p, runtime));
        });
    }

    /**
     * The socket's opening, as a call: it gives the opening thread's session (context or MDC)
     * and is never recorded itself; the socket's frames are.
     */
    private static OperationSpec spec(SocketProtocol protocol, SocketRuntime runtime) {
        CallExtractor notRecorded = (call, record) -> {
            throw CallExtractor.NotRecorded.INSTANCE;
        };
        CallObserver observer = new CallObserver() {
            @Override
            public void onArguments(InFlightCall call, Object[] arguments) {
                URI uri = (URI) arguments[0];
                ObservedSocket socket = runtime.open(protocol, CLIENT, uri.getHost(), uri.getRawPath(),
                        uri.getRawQuery(), call.contextSessionId);
                arguments[1] = new ObservingJdkListener((WebSocket.Listener) arguments[1], socket);
                call.onResponse(socket);
            }

            @Override
            public Object onResult(InFlightCall call, Object result) {
                ObservedSocket socket = (ObservedSocket) call.response();
                if (result instanceof CompletableFuture && socket != null) {
                    // A dependent stage notes a failed handshake; the application keeps its own future.
                    ((CompletableFuture<?>) result).whenComplete((webSocket, thrown) -> {
                        if (thrown != null) {
                            socket.onFailed(thrown);
                        }
                    });
                }
                return result;
            }
        };
        return new OperationSpec(protocol.provider(), "socket", StageKind.LLM, true, notRecorded, observer, false);
    }

    /**
     * Forwards every callback to the application's listener, returning exactly what it returns
     * and letting what it throws through; observes the frame first.
     */
    static final class ObservingJdkListener implements WebSocket.Listener, dev.voicetrace.bootstrap.SocketFrames {
        private final WebSocket.Listener application;
        private final ObservedSocket socket;

        ObservingJdkListener(WebSocket.Listener application, ObservedSocket socket) {
            this.application = application;
            this.socket = socket;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            application.onOpen(webSocket);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            try {
                socket.onReceivedText(data, last);
            } catch (RuntimeException ignored) {
                // the application's listener sees the frame regardless
            }
            return application.onText(webSocket, data, last);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data,
                                                                boolean last) {
            try {
                socket.onReceivedBinary(data.remaining());
            } catch (RuntimeException ignored) {
                // the application's listener sees the frame regardless
            }
            return application.onBinary(webSocket, data, last);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            return application.onPing(webSocket, message);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
            return application.onPong(webSocket, message);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            try {
                socket.onClosed(statusCode);
            } catch (RuntimeException ignored) {
                // the application's listener sees the close regardless
            }
            return application.onClose(webSocket, statusCode, reason);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            try {
                socket.onFailed(error);
            } catch (RuntimeException ignored) {
                // the application's listener sees the error regardless
            }
            application.onError(webSocket, error);
        }

        @Override
        public void onSendText(CharSequence text, boolean last) {
            socket.onSendText(text, last);
        }

        @Override
        public void onSendBinary(java.nio.ByteBuffer data) {
            socket.onSendBinary(data);
        }

        @Override
        public void onSendClose(boolean abort) {
            socket.onSendClose(abort);
        }

        @Override
        public void onSend(Object payload) {
            socket.onSend(payload);
        }

        @Override
        public void onReceived(Object payload) {
            socket.onReceived(payload);
        }

        @Override
        public void onClosed(int code) {
            socket.onClosed(code);
        }

        @Override
        public void onFailed(Throwable error) {
            socket.onFailed(error);
        }

        @Override
        public String toString() {
            return application.toString();
        }
    }

}
