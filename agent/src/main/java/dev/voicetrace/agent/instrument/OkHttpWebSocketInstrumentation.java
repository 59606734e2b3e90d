package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.bootstrap.SocketHooks;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp 4 and 5 WebSockets ({@code okhttp3.internal.ws.RealWebSocket}): {@code connect} is where
 * a socket opened with {@code OkHttpClient.newWebSocket} is recognised by host and path (keyed,
 * with the opening thread's context); {@code send}, {@code onReadMessage} (before the
 * application's listener), {@code onReadClose}, {@code failWebSocket} and {@code cancel} report
 * to the socket's observer, which only a recognised socket has (one identity-table probe per frame
 * while any is open; a volatile read otherwise).
 */
public final class OkHttpWebSocketInstrumentation implements InstrumentationModule {

    static final String REAL_WEB_SOCKET = "okhttp3.internal.ws.RealWebSocket";

    private final String operationKey;

    public OkHttpWebSocketInstrumentation(String operationKey) {
        this.operationKey = operationKey;
    }

    @Override
    public String name() {
        return "okhttp-websocket";
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return named(REAL_WEB_SOCKET);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return any();
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(named("connect").and(takesArguments(1)), operationKey),
                Interception.withAdvice(named("send").and(isPublic()).and(takesArguments(1)), Sent.class),
                Interception.withAdvice(named("onReadMessage").and(takesArguments(1)), Received.class),
                Interception.withAdvice(named("onReadClose").and(takesArguments(2)), Closed.class),
                Interception.withAdvice(named("failWebSocket").and(takesArgument(0, Exception.class))
                        .and(takesArguments(2).or(takesArguments(3))).and(isPublic()), Failed.class),
                Interception.withAdvice(named("cancel").and(takesArguments(0)), Cancelled.class));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            REAL_WEB_SOCKET + "#connect",
            REAL_WEB_SOCKET + "#request",
            REAL_WEB_SOCKET + "#send",
            REAL_WEB_SOCKET + "#onReadMessage",
            REAL_WEB_SOCKET + "#onReadClose",
            REAL_WEB_SOCKET + "#failWebSocket",
            "okhttp3.Request#url",
            "okhttp3.HttpUrl#encodedPath",
            "okhttp3.HttpUrl#encodedQuery",
            "okio.ByteString#size",
        };
    }

    /** {@code send(String)} and {@code send(ByteString)}. */
    public static final class Sent {
        private Sent() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socket, @Advice.Argument(0) Object payload) {
            SocketHooks.sent(socket, payload);
        }
    }

    /** {@code onReadMessage(String)} and {@code onReadMessage(ByteString)}, before the listener. */
    public static final class Received {
        private Received() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socket, @Advice.Argument(0) Object payload) {
            SocketHooks.received(socket, payload);
        }
    }

    /** {@code onReadClose(int, String)}. */
    public static final class Closed {
        private Closed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socket, @Advice.Argument(0) int code) {
            SocketHooks.closed(socket, code);
        }
    }

    /** {@code failWebSocket(Exception, Response[, boolean])}. */
    public static final class Failed {
        private Failed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socket, @Advice.Argument(0) Throwable error) {
            SocketHooks.failed(socket, error);
        }
    }

    /** {@code cancel()}. */
    public static final class Cancelled {
        private Cancelled() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socket) {
            SocketHooks.cancelled(socket);
        }
    }
}
