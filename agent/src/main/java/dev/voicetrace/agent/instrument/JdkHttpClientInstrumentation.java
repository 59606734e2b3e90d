package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.isPrivate;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.instrument.Instrumentation;
import java.util.Collections;

/**
 * The JDK's {@code java.net.http.HttpClient}: advice on the private four-argument
 * {@code sendAsync} of {@code jdk.internal.net.http.HttpClientImpl}, where {@code send} and both
 * public {@code sendAsync} methods end up (JDK 11 to 25). It has a builder of its own: the main
 * one leaves {@code java.*} and {@code jdk.*} alone (context propagation's JDK classes have theirs). The class may already be loaded when the agent starts (the agent's own exporter uses
 * the client), so it is loaded here if needed and retransformed. The advice, woven into a class
 * of the named module {@code java.net.http}, calls the bootstrap class path's unnamed module,
 * which that module is first made to read.
 */
public final class JdkHttpClientInstrumentation {

    static final String HTTP_CLIENT_IMPL = "jdk.internal.net.http.HttpClientImpl";
    static final String WEB_SOCKET_BUILDER = "jdk.internal.net.http.websocket.BuilderImpl";
    static final String WEB_SOCKET_IMPL = "jdk.internal.net.http.websocket.WebSocketImpl";

    private JdkHttpClientInstrumentation() {}

    /** Installs the advice; on any problem, one log line and the JDK client stays untouched. */
    public static void install(Instrumentation instrumentation, String operationKey) {
        install(instrumentation, operationKey, null);
    }

    /**
     * Installs the HTTP advice, and with {@code webSocketKey} the WebSocket advice: on
     * {@code BuilderImpl.buildAsync(URI, Listener)} (keyed, the listener may be replaced) and on
     * {@code WebSocketImpl}'s send methods (reading the socket's listener field).
     */
    public static void install(Instrumentation instrumentation, String operationKey, String webSocketKey) {
        Class<?> impl;
        try {
            impl = Class.forName(HTTP_CLIENT_IMPL, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            AgentLog.debug("java.net.http is not in this runtime; its client is not traced");
            return;
        }
        try {
            if (!instrumentation.isRetransformClassesSupported() || !instrumentation.isModifiableClass(impl)) {
                AgentLog.warn("java.net.http: the JDK does not allow retransforming " + HTTP_CLIENT_IMPL
                        + "; its calls are not traced");
                return;
            }
            if (!hasSendAsync(impl)) {
                AgentLog.warn("java.net.http: this JDK's HTTP client is not supported (" + HTTP_CLIENT_IMPL
                        + "#sendAsync with four arguments not found); its calls are not traced");
                return;
            }
            Module hooks = VoicetraceHooks.class.getModule();
            instrumentation.redefineModule(impl.getModule(), Collections.singleton(hooks), Collections.emptyMap(),
                    Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
            if (webSocketKey != null) {
                installWebSocket(instrumentation, webSocketKey);
            }
            AdviceWeaver weaver = AdviceWeaver.loggingFailures("the JDK's HTTP client runs untraced");
            weaver.forTypes(named(HTTP_CLIENT_IMPL))
                    .advise(named("sendAsync").and(takesArguments(4)).and(isPrivate()), KeyedCallAdvice.forKey(operationKey));
            NamedClasses.register(instrumentation, weaver, Collections.singleton(HTTP_CLIENT_IMPL));
            NamedClasses.retransform(instrumentation, Collections.singleton(impl), "tracing java.net.http");
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("java.net.http: could not instrument the JDK's HTTP client; its calls are not traced", e);
        }
    }

    /** WebSocket classes are loaded (not initialised) here so that they can be transformed before first use. */
    private static void installWebSocket(Instrumentation instrumentation, String webSocketKey) {
        Class<?> builder;
        Class<?> socket;
        try {
            builder = Class.forName(WEB_SOCKET_BUILDER, false, ClassLoader.getPlatformClassLoader());
            socket = Class.forName(WEB_SOCKET_IMPL, false, ClassLoader.getPlatformClassLoader());
            socket.getDeclaredField("listener");
            builder.getMethod("buildAsync", java.net.URI.class, java.net.http.WebSocket.Listener.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            AgentLog.warn("java.net.http: this JDK's WebSocket client is not supported (" + e
                    + "); its sockets are not traced");
            return;
        }
        if (!instrumentation.isModifiableClass(builder) || !instrumentation.isModifiableClass(socket)) {
            AgentLog.warn("java.net.http: the JDK does not allow retransforming its WebSocket client; its sockets"
                    + " are not traced");
            return;
        }
        AdviceWeaver sockets = AdviceWeaver.loggingFailures("the JDK's WebSocket client runs untraced");
        sockets.forTypes(named(WEB_SOCKET_BUILDER))
                .advise(named("buildAsync").and(takesArguments(2)), KeyedCallAdvice.forKey(webSocketKey));
        sockets.forTypes(named(WEB_SOCKET_IMPL))
                .advise(named("sendText").and(takesArguments(2)), JdkWebSocketSendAdvice.TEXT)
                .advise(named("sendBinary").and(takesArguments(2)), JdkWebSocketSendAdvice.BINARY)
                .advise(named("abort").and(takesArguments(0)), JdkWebSocketSendAdvice.ABORT);
        NamedClasses.register(instrumentation, sockets, java.util.Arrays.asList(WEB_SOCKET_BUILDER, WEB_SOCKET_IMPL));
        NamedClasses.retransform(instrumentation, java.util.Arrays.asList(builder, socket),
                "tracing java.net.http's WebSockets");
    }

    private static boolean hasSendAsync(Class<?> impl) {
        for (java.lang.reflect.Method method : impl.getDeclaredMethods()) {
            if (method.getName().equals("sendAsync") && method.getParameterCount() == 4
                    && java.lang.reflect.Modifier.isPrivate(method.getModifiers())) {
                return true;
            }
        }
        return false;
    }
}
