package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.any;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import dev.voicetrace.bootstrap.SocketHooks;
import java.util.Arrays;
import java.util.List;

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
    public String[] classNamePrefixes() {
        return new String[] {"okhttp3.internal."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return named(REAL_WEB_SOCKET);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return any();
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(named("connect").and(takesArguments(1)), operationKey),
                Interception.withAdvice(named("send").and(isPublic()).and(takesArguments(1)), SENT),
                Interception.withAdvice(named("onReadMessage").and(takesArguments(1)), RECEIVED),
                Interception.withAdvice(named("onReadClose").and(takesArguments(2)), CLOSED),
                Interception.withAdvice(named("failWebSocket").and(takesArgument(0, Exception.class))
                        .and(takesArguments(2).or(takesArguments(3))).and(isPublic()), FAILED),
                Interception.withAdvice(named("cancel").and(takesArguments(0)), CANCELLED));
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
    static final Advice SENT = Advice.onEnter(SocketHooks.class, "sent", THIS, argument(0));

    /** {@code onReadMessage(String)} and {@code onReadMessage(ByteString)}, before the listener. */
    static final Advice RECEIVED = Advice.onEnter(SocketHooks.class, "received", THIS, argument(0));

    /** {@code onReadClose(int, String)}. */
    static final Advice CLOSED = Advice.onEnter(SocketHooks.class, "closed", THIS, argument(0));

    /** {@code failWebSocket(Exception, Response[, boolean])}. */
    static final Advice FAILED = Advice.onEnter(SocketHooks.class, "failed", THIS, argument(0));

    /** {@code cancel()}. */
    static final Advice CANCELLED = Advice.onEnter(SocketHooks.class, "cancelled", THIS);
}
