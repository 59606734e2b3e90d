package dev.voicetrace.agent.realtime.jakarta;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isBridge;
import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.isDeclaredBy;
import static dev.voicetrace.agent.instrument.weave.Matchers.isInterface;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;
import static dev.voicetrace.agent.instrument.weave.Value.ALL_ARGUMENTS;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import dev.voicetrace.bootstrap.SocketHooks;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

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
    public Matcher<TypeShape> typeNameFilter() {
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
    public Matcher<TypeShape> typeMatcher() {
        Matcher<TypeShape> inImplementation = nameStartsWith(IMPLEMENTATIONS[0])
                .or(nameStartsWith(IMPLEMENTATIONS[1])).or(nameStartsWith(IMPLEMENTATIONS[2]))
                .or(nameStartsWith(IMPLEMENTATIONS[3])).or(nameStartsWith(IMPLEMENTATIONS[4]));
        Matcher<TypeShape> anySuperType = hasSuperType(namedOneOf(API_TYPES));
        return not(isInterface()).and(type -> named(ENDPOINT).matches(type)
                || (inImplementation.matches(type) ? anySuperType.matches(type) : namesApiTypeDirectly(type)));
    }

    private static boolean namesApiTypeDirectly(TypeShape type) {
        String superClass = type.superClassName();
        if (superClass != null && isApiType(superClass)) {
            return true;
        }
        for (String implemented : type.interfaceNames()) {
            if (isApiType(implemented)) {
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
                Interception.withAdvice(isConstructor().and(isDeclaredBy(named(ENDPOINT))), ENDPOINT_CONSTRUCTED),
                Interception.withAdvice(named("onOpen").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), OPENED),
                Interception.withAdvice(named("onClose").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), CLOSED),
                Interception.withAdvice(named("onError").and(takesArguments(2)).and(not(isAbstract()))
                        .and(takesArgument(0, named(API + "Session"))), FAILED),
                Interception.withAdvice(named("addMessageHandler").and(not(isAbstract())), HANDLER_ADDED),
                Interception.withAdvice(namedOneOf("getBasicRemote", "getAsyncRemote").and(takesArguments(0))
                        .and(not(isAbstract())), REMOTE_GIVEN),
                Interception.withAdvice(namedOneOf("sendText", "sendBinary").and(isPublic()).and(not(isAbstract()))
                        .and(not(isBridge())).and(takesArguments(1).or(takesArguments(2)
                                .and(takesArgument(1, named(API + "SendHandler"))))), SENT),
                Interception.withAdvice(namedOneOf("sendText", "sendBinary").and(isPublic()).and(not(isAbstract()))
                        .and(takesArguments(2)).and(takesArgument(1, boolean.class)), SENT_PART),
                Interception.withAdvice(named("onMessage").and(isPublic()).and(not(isAbstract())).and(not(isBridge()))
                        .and(takesArguments(1)), RECEIVED),
                Interception.withAdvice(named("onMessage").and(isPublic()).and(not(isAbstract())).and(not(isBridge()))
                        .and(takesArguments(2)).and(takesArgument(1, boolean.class)), RECEIVED_PART));
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
    static final Advice ENDPOINT_CONSTRUCTED = Advice.onExit(SocketHooks.class, "endpointConstructed", THIS);

    /** {@code Endpoint.onOpen(Session, EndpointConfig)}: the session is the endpoint's socket's. */
    static final Advice OPENED = Advice.onEnter(SocketHooks.class, "alias", THIS, argument(0));

    /** {@code Endpoint.onClose(Session, CloseReason)}. */
    static final Advice CLOSED = Advice.onEnter(SocketHooks.class, "closedWithReason", argument(0), argument(1));

    /** {@code Endpoint.onError(Session, Throwable)}. */
    static final Advice FAILED = Advice.onEnter(SocketHooks.class, "failed", argument(0), argument(1));

    /** {@code Session.addMessageHandler([Class,] handler)}: the handler is its last argument. */
    static final Advice HANDLER_ADDED = Advice.onEnter(SocketHooks.class, "handlerAdded", THIS, ALL_ARGUMENTS);

    /** {@code Session.getBasicRemote()} and {@code getAsyncRemote()}. */
    static final Advice REMOTE_GIVEN = Advice.onExit(SocketHooks.class, "alias", THIS, RETURNED);

    /** {@code sendText(String[, SendHandler])} and {@code sendBinary(ByteBuffer[, SendHandler])}: a whole frame. */
    static final Advice SENT = Advice.onEnter(SocketHooks.class, "sent", THIS, argument(0));

    /** {@code sendText(String, boolean)} and {@code sendBinary(ByteBuffer, boolean)}: a part of a frame. */
    static final Advice SENT_PART = Advice.onEnter(SocketHooks.class, "sentPart", THIS, argument(0), argument(1));

    /** {@code MessageHandler.Whole.onMessage(T)}, before the handler's own code. */
    static final Advice RECEIVED = Advice.onEnter(SocketHooks.class, "receivedWhole", THIS, argument(0));

    /** {@code MessageHandler.Partial.onMessage(T, boolean)}. */
    static final Advice RECEIVED_PART = Advice.onEnter(SocketHooks.class, "receivedPart", THIS, argument(0),
            argument(1));
}
