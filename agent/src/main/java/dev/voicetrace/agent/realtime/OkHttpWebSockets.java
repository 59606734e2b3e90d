package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OkHttp's WebSockets, reached only reflectively through the application's classes: the
 * {@code RealWebSocket} being connected is recognised by its request's host, port and path; a
 * vendor's socket gets an {@link ObservedSocket} that the frame hooks find by the socket's
 * identity. Any other socket costs one host lookup here.
 */
public final class OkHttpWebSockets {

    /** The operation key the instrumentation binds to {@code RealWebSocket.connect}. */
    public static final String KEY = "okhttp3.RealWebSocket.connect";
    static final String CLIENT = "okhttp";

    private OkHttpWebSockets() {}

    public static void register(OperationRegistry registry, SocketRuntime runtime) {
        Map<SocketProtocol, OperationSpec> specs = new ConcurrentHashMap<>();
        registry.registerRouter(KEY, (socket, arguments) -> {
            if (socket == null) {
                return null;
            }
            try {
                Object url = invoke(invoke(socket, "request"), "url");
                SocketProtocol protocol = runtime.endpoints().match((String) invoke(url, "host"),
                        (Integer) invoke(url, "port"), (String) invoke(url, "encodedPath"));
                return protocol == null ? null : specs.computeIfAbsent(protocol, p -> spec(p, runtime));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        });
    }

    private static OperationSpec spec(SocketProtocol protocol, SocketRuntime runtime) {
        CallExtractor notRecorded = (call, record) -> {
            throw CallExtractor.NotRecorded.INSTANCE;
        };
        CallObserver observer = new CallObserver() {
            @Override
            public void onArguments(InFlightCall call, Object[] arguments) {
                try {
                    Object url = invoke(invoke(call.receiver(), "request"), "url");
                    ObservedSocket socket = runtime.open(protocol, CLIENT, (String) invoke(url, "host"),
                            (String) invoke(url, "encodedPath"), (String) invoke(url, "encodedQuery"),
                            call.contextSessionId);
                    socket.observedAs(call.receiver());
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // the socket runs unobserved
                }
            }

            @Override
            public Object onResult(InFlightCall call, Object result) {
                return result;
            }
        };
        return new OperationSpec(protocol.provider(), "socket", StageKind.LLM, true, notRecorded, observer, false);
    }


    private static Object invoke(Object target, String name) throws ReflectiveOperationException {
        return SdkMembers.invoke(target, name);
    }
}
