package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.isPrivate;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JDK's {@code java.net.http.HttpClient}: advice on the private four-argument
 * {@code sendAsync} of {@code jdk.internal.net.http.HttpClientImpl}, where {@code send} and both
 * public {@code sendAsync} methods end up (JDK 11 to 25), and optionally on its WebSocket client.
 * The classes are changed when the application first loads them, and only then: an application
 * that never uses the client never loads its module's classes for the agent's sake (some 30 ms of
 * start-up and 5 MB). If they are already loaded (an application that used the client before a
 * late attach), they are retransformed. It has a weaver of its own: the main one leaves
 * {@code java.*} and {@code jdk.*} alone. The advice, woven into a class of the named module
 * {@code java.net.http}, calls the bootstrap class path's unnamed module, which that module is made
 * to read as the class is woven.
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
     * {@code WebSocketImpl}'s send methods (reading the socket's listener field). A JDK whose classes
     * lack these methods gets one warning when the class loads, and its client runs untraced.
     */
    public static void install(Instrumentation instrumentation, String operationKey, String webSocketKey) {
        if (!ModuleLayer.boot().findModule("java.net.http").isPresent()) {
            AgentLog.debug("java.net.http is not in this runtime; its client is not traced");
            return;
        }
        try {
            List<String> names = new ArrayList<>();
            AdviceWeaver weaver = AdviceWeaver.loggingFailures("the JDK's HTTP client runs untraced")
                    .withReadEdgeTo(instrumentation, VoicetraceHooks.class);
            weaver.forTypes(named(HTTP_CLIENT_IMPL))
                    .advise(named("sendAsync").and(takesArguments(4)).and(isPrivate()),
                            KeyedCallAdvice.forKey(operationKey))
                    .warnIfNoMethodMatches("java.net.http: this JDK's HTTP client is not supported (" + HTTP_CLIENT_IMPL
                            + "#sendAsync with four arguments not found); its calls are not traced");
            names.add(HTTP_CLIENT_IMPL);
            NamedClasses.register(instrumentation, weaver, names);
            if (webSocketKey != null) {
                AdviceWeaver sockets = AdviceWeaver.loggingFailures("the JDK's WebSocket client runs untraced")
                        .withReadEdgeTo(instrumentation, VoicetraceHooks.class);
                String unsupported = "java.net.http: this JDK's WebSocket client is not supported; its sockets are"
                        + " not traced";
                sockets.forTypes(named(WEB_SOCKET_BUILDER))
                        .advise(named("buildAsync").and(takesArguments(2)), KeyedCallAdvice.forKey(webSocketKey))
                        .warnIfNoMethodMatches(unsupported);
                sockets.forTypes(named(WEB_SOCKET_IMPL))
                        .advise(named("sendText").and(takesArguments(2)), JdkWebSocketSendAdvice.TEXT)
                        .advise(named("sendBinary").and(takesArguments(2)), JdkWebSocketSendAdvice.BINARY)
                        .advise(named("abort").and(takesArguments(0)), JdkWebSocketSendAdvice.ABORT)
                        .warnIfNoMethodMatches(unsupported);
                List<String> socketNames = Arrays.asList(WEB_SOCKET_BUILDER, WEB_SOCKET_IMPL);
                NamedClasses.register(instrumentation, sockets, socketNames);
                names.addAll(socketNames);
            }
            NamedClasses.retransform(instrumentation, NamedClasses.loaded(instrumentation, names),
                    "tracing java.net.http");
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("java.net.http: could not instrument the JDK's HTTP client; its calls are not traced", e);
        }
    }
}
