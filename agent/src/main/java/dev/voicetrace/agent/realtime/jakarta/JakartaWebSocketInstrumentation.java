package dev.voicetrace.agent.realtime.jakarta;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.bootstrap.SocketHooks;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Jakarta WebSocket client API ({@code jakarta.websocket}), matched by the API's own types so
 * that every implementation is covered the same way: {@code WebSocketContainer.connectToServer}
 * (keyed: the socket is recognised by its URI), {@code Endpoint} (its constructor inside a
 * connect, {@code onOpen}, {@code onClose}, {@code onError}), {@code Session}
 * ({@code addMessageHandler}, {@code getBasicRemote}, {@code getAsyncRemote}: the objects they
 * take and give speak for the socket), {@code RemoteEndpoint.Basic} and {@code .Async}
 * ({@code sendText}, {@code sendBinary}) and the message handlers ({@code MessageHandler.Whole}
 * and {@code .Partial} {@code onMessage}, including the container's handlers for annotated
 * {@code @OnMessage} methods). Every advice passes plain references to the bootstrap hooks, which
 * act only for an object of a recognised socket. Types are only considered in class loaders that
 * can see the API, so an application without it pays nothing.
 */
public final class JakartaWebSocketInstrumentation implements InstrumentationModule {

    static final String API = "jakarta.websocket.";
    static final String ENDPOINT = API + "Endpoint";
    private static final String[] API_TYPES = {
        API + "WebSocketContainer", API + "Session", API + "RemoteEndpoint$Basic", API + "RemoteEndpoint$Async",
        API + "MessageHandler$Whole", API + "MessageHandler$Partial", ENDPOINT
    };

    private final String operationKey;
    private final Map<ClassLoader, Boolean> loadersWithApi = Collections.synchronizedMap(new WeakHashMap<>());

    public JakartaWebSocketInstrumentation(String operationKey) {
        this.operationKey = operationKey;
    }

    @Override
    public String name() {
        return "jakarta-websocket";
    }

    /** The application's endpoints and handlers can have any name: built for loaders that see the API. */
    @Override
    public String[] classNamePrefixes() {
        return new String[0];
    }

    /** The API's own types are left alone except {@code Endpoint}, whose methods are the default callbacks. */
    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return not(nameStartsWith(API)).or(named(ENDPOINT));
    }

    /**
     * Implementations' packages, whose session and remote endpoint classes reach the API's types
     * through bases of their own: only their types get the full walk of the type hierarchy.
     */
    private static final String[] IMPLEMENTATIONS = {
        "org.glassfish.tyrus.", "org.apache.tomcat.websocket.", "org.eclipse.jetty.", "io.undertow.websockets.",
        "org.springframework.web.socket."
    };

    /**
     * An API type's implementations: in an implementation's packages, any type with one of the
     * API's types among its supertypes; elsewhere (the application's endpoints and handlers, which
     * extend {@code Endpoint} or implement a handler interface themselves), a type that names one
     * as its superclass or interface, a check that reads no other class file.
     */
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        ElementMatcher<TypeDescription> inImplementation = nameStartsWith(IMPLEMENTATIONS[0])
                .or(nameStartsWith(IMPLEMENTATIONS[1])).or(nameStartsWith(IMPLEMENTATIONS[2]))
                .or(nameStartsWith(IMPLEMENTATIONS[3])).or(nameStartsWith(IMPLEMENTATIONS[4]));
        ElementMatcher<TypeDescription> anySuperType = hasSuperType(namedOneOf(API_TYPES));
        return not(isInterface()).and(type -> named(ENDPOINT).matches(type)
                || (inImplementation.matches(type) ? anySuperType.matches(type) : namesApiTypeDirectly(type)));
    }

    private static boolean namesApiTypeDirectly(TypeDescription type) {
        TypeDescription.Generic superClass = type.getSuperClass();
        if (superClass != null && isApiType(superClass.asErasure().getName())) {
            return true;
        }
        for (TypeDescription.Generic implemented : type.getInterfaces()) {
            if (isApiType(implemented.asErasure().getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isApiType(String name) {
        for (String apiType : API_TYPES) {
            if (apiType.equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean appliesTo(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        Boolean known = loadersWithApi.get(loader);
        if (known == null) {
            // a resource look-up: the API's class is never loaded here
            known = loader.getResource("jakarta/websocket/Session.class") != null;
            loadersWithApi.put(loader, known);
        }
        return known;
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(named("connectToServer").and(not(isAbstract())), operationKey),
                Interception.withAdvice(isConstructor().and(isDeclaredBy(named(ENDPOINT))), EndpointConstructed.class),
                Interception.withAdvice(named("onOpen").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), Opened.class),
                Interception.withAdvice(named("onClose").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), Closed.class),
                Interception.withAdvice(named("onError").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), Failed.class),
                Interception.withAdvice(named("addMessageHandler").and(not(isAbstract())), HandlerAdded.class),
                Interception.withAdvice(namedOneOf("getBasicRemote", "getAsyncRemote").and(takesArguments(0))
                        .and(not(isAbstract())), RemoteGiven.class),
                Interception.withAdvice(namedOneOf("sendText", "sendBinary").and(isPublic()).and(not(isAbstract()))
                        .and(not(isBridge())).and(takesArguments(1).or(takesArguments(2)
                                .and(takesArgument(1, named(API + "SendHandler"))))), Sent.class),
                Interception.withAdvice(namedOneOf("sendText", "sendBinary").and(isPublic()).and(not(isAbstract()))
                        .and(takesArguments(2)).and(takesArgument(1, boolean.class)), SentPart.class),
                Interception.withAdvice(named("onMessage").and(isPublic()).and(not(isAbstract())).and(not(isBridge()))
                        .and(takesArguments(1)), Received.class),
                Interception.withAdvice(named("onMessage").and(isPublic()).and(not(isAbstract())).and(not(isBridge()))
                        .and(takesArguments(2)).and(takesArgument(1, boolean.class)), ReceivedPart.class));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            API + "WebSocketContainer#connectToServer",
            API + "Session#addMessageHandler",
            API + "Session#getBasicRemote",
            API + "Session#getAsyncRemote",
            API + "RemoteEndpoint$Basic#sendText",
            API + "RemoteEndpoint$Async#sendText",
            API + "MessageHandler$Whole#onMessage",
            API + "Endpoint#onOpen",
            API + "CloseReason#getCloseCode",
        };
    }

    /**
     * {@code Endpoint}'s own constructor, which every endpoint runs: inside a recognised socket's
     * connect on this thread, the new endpoint is that socket's.
     */
    public static final class EndpointConstructed {
        private EndpointConstructed() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object endpoint) {
            SocketHooks.endpointConstructed(endpoint);
        }
    }

    /** {@code Endpoint.onOpen(Session, EndpointConfig)}: the session is the endpoint's socket's. */
    public static final class Opened {
        private Opened() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endpoint, @Advice.Argument(0) Object session) {
            SocketHooks.alias(endpoint, session);
        }
    }

    /** {@code Endpoint.onClose(Session, CloseReason)}. */
    public static final class Closed {
        private Closed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object session, @Advice.Argument(1) Object reason) {
            SocketHooks.closedWithReason(session, reason);
        }
    }

    /** {@code Endpoint.onError(Session, Throwable)}. */
    public static final class Failed {
        private Failed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object session, @Advice.Argument(1) Object error) {
            if (error instanceof Throwable) {
                SocketHooks.failed(session, (Throwable) error);
            }
        }
    }

    /** {@code Session.addMessageHandler([Class,] handler)}: the handler is its last argument. */
    public static final class HandlerAdded {
        private HandlerAdded() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object session, @Advice.AllArguments Object[] arguments) {
            if (arguments.length > 0) {
                SocketHooks.alias(session, arguments[arguments.length - 1]);
            }
        }
    }

    /** {@code Session.getBasicRemote()} and {@code getAsyncRemote()}. */
    public static final class RemoteGiven {
        private RemoteGiven() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object session, @Advice.Return Object remote) {
            SocketHooks.alias(session, remote);
        }
    }

    /** {@code sendText(String[, SendHandler])} and {@code sendBinary(ByteBuffer[, SendHandler])}: a whole frame. */
    public static final class Sent {
        private Sent() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object remote, @Advice.Argument(0) Object payload) {
            SocketHooks.sent(remote, payload);
        }
    }

    /** {@code sendText(String, boolean)} and {@code sendBinary(ByteBuffer, boolean)}: a part of a frame. */
    public static final class SentPart {
        private SentPart() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object remote, @Advice.Argument(0) Object payload,
                                 @Advice.Argument(1) boolean last) {
            SocketHooks.sentPart(remote, payload, last);
        }
    }

    /** {@code MessageHandler.Whole.onMessage(T)}, before the handler's own code. */
    public static final class Received {
        private Received() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object handler, @Advice.Argument(0) Object message) {
            SocketHooks.receivedPart(handler, message, true);
        }
    }

    /** {@code MessageHandler.Partial.onMessage(T, boolean)}. */
    public static final class ReceivedPart {
        private ReceivedPart() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object handler, @Advice.Argument(0) Object message,
                                 @Advice.Argument(1) boolean last) {
            SocketHooks.receivedPart(handler, message, last);
        }
    }
}
