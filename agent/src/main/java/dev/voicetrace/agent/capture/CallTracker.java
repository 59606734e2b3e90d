package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.bootstrap.ClientCallListener;
import dev.voicetrace.bootstrap.TraceContext;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent side of the advice: starts an {@link InFlightCall} for every call it recognises and
 * wraps the result so that the call's end is observed. It runs on application threads, so it
 * only stores references and timestamps. For calls keyed by operation, {@link CompletedCall#request()}
 * is the array of the method's arguments.
 */
public final class CallTracker implements ClientCallListener {

    private final OperationRegistry registry;
    private final CallSink sink;
    private final ContextSessionReader sessionReader;

    /**
     * The framework-level call in progress on this thread, if any: an SDK call made inside it is
     * the same model call seen one layer down, and is not recorded again.
     */
    private static final ThreadLocal<InFlightCall> outermost = new ThreadLocal<>();

    /**
     * The tool execution in progress on this thread, if any: an overload of the executing method
     * or a decorated callback called inside it is the same execution, and is not recorded again.
     */
    private static final ThreadLocal<InFlightCall> toolInProgress = new ThreadLocal<>();

    /** Whether an SDK call nested in a framework call is recorded too (marked, without cost). */
    private final boolean recordNested;

    /** Whether a conversation without a session id gets a generated one at its first transcription. */
    private final boolean generateSessions;
    /** Turn anchors of every turn opener in this JVM (transcription calls, socket utterances): never reused. */
    private static final AtomicLong TURN_ANCHORS = new AtomicLong();
    /** MDC keys of the call attributes (user id, metadata), as {@link TraceContext#attributes} holds them. */
    private final String[] attributeKeys;

    /** Fixes a turn's ids when its transcription starts (trace context propagation is on), or null. */
    private volatile TurnIdentities turnIdentities;

    /** Makes the ids of every turn opened from now on fixed at its start, so that they can cross to other services. */
    public void identifyTurns(TurnIdentities identities) {
        this.turnIdentities = identities;
    }

    public CallTracker(OperationRegistry registry, CallSink sink, ContextSessionReader sessionReader) {
        this(registry, sink, sessionReader, false, false);
    }

    public CallTracker(OperationRegistry registry, CallSink sink, ContextSessionReader sessionReader,
                       boolean generateSessions, boolean recordNested) {
        this(registry, sink, sessionReader, generateSessions, recordNested, new String[0]);
    }

    public CallTracker(OperationRegistry registry, CallSink sink, ContextSessionReader sessionReader,
                       boolean generateSessions, boolean recordNested, String[] attributeKeys) {
        this.attributeKeys = attributeKeys.clone();
        this.registry = registry;
        this.sink = sink;
        this.sessionReader = sessionReader;
        this.generateSessions = generateSessions;
        this.recordNested = recordNested;
    }

    /** {@link #onEnter(String, Object, Object)} for a call whose receiver is not at hand (tests). */
    public Object onEnter(String method, Object request) {
        return onEnter(method, null, request);
    }

    @Override
    public Object onEnter(String method, Object receiver, Object request) {
        if (request == null) {
            return null;
        }
        OperationSpec spec = registry.lookup(request.getClass().getName(), method);
        if (spec == null) {
            return null;
        }
        InFlightCall outer = enclosingFrameworkCall();
        if (outer != null && !recordNested) {
            return null;
        }
        // Only a transcription's upload is read (its audio's size); other calls skip the lookup.
        long uploadBytes = spec.kind == StageKind.STT ? uploadSize(request) : -1;
        InFlightCall call = begin(spec, receiver, new Object[] {request}, request, uploadBytes);
        if (outer != null) {
            call.nestedIn(outer.spec().provider + "/" + outer.spec().operation);
        }
        SentRequests.making(call);
        return call;
    }

    /** {@link #onEnterCall(String, Object, Object[])} for a static method, or a test that has no receiver. */
    public Object onEnterCall(String operationKey, Object[] arguments) {
        return onEnterCall(operationKey, null, arguments);
    }

    @Override
    public Object onEnterCall(String operationKey, Object receiver, Object[] arguments) {
        OperationSpec spec = registry.lookupCall(operationKey, receiver, arguments);
        if (spec == null) {
            return null;
        }
        if (spec.kind == StageKind.TOOL) {
            return beginTool(spec, receiver, arguments);
        }
        // A framework call inside another (an overload funnelling into the intercepted one, or
        // one framework delegating to another) is the same model call: never recorded twice.
        InFlightCall outer = enclosingFrameworkCall();
        if (outer != null) {
            spec.observer.onNestedArguments(outer, arguments);
            return null;
        }
        if (spec.nestedOnly) {
            return null;
        }
        InFlightCall call = begin(spec, receiver, snapshot(arguments), sessionSource(receiver, arguments), -1);
        spec.observer.onArguments(call, arguments);
        if (spec.outermost) {
            outermost.set(call);
        }
        return call;
    }

    @Override
    public Object onExit(Object handle, Object result, Throwable thrown) {
        InFlightCall call = (InFlightCall) handle;
        SentRequests.made(call);
        if (call.spec().outermost && outermost.get() == call) {
            // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
            outermost.set(null);
        }
        if (toolInProgress.get() == call) {
            // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
            toolInProgress.set(null);
        }
        if (thrown != null) {
            call.fail(thrown);
            return result;
        }
        return call.spec().observer.onResult(call, result);
    }

    /**
     * A tool a framework runs: recorded even inside a framework call (it is the application's
     * work, not the model call seen again), once however many of its methods it goes through.
     */
    private InFlightCall beginTool(OperationSpec spec, Object receiver, Object[] arguments) {
        InFlightCall running = toolInProgress.get();
        if (running != null && !running.isCompleted()) {
            return null;
        }
        InFlightCall call = begin(spec, receiver, snapshot(arguments), sessionSource(receiver, arguments), -1);
        toolInProgress.set(call);
        return call;
    }

    /**
     * Starts a call in the calling thread's context. A transcription starts a turn: it sets a new
     * turn anchor (and, for a conversation without a session id, a generated one) in the context,
     * so that the model and speech calls made in its wake, on whatever thread, join its turn.
     */
    /**
     * The arguments as the call was made. A list argument (a conversation's contents) is copied,
     * one reference per element: the application may add the reply to that same list as soon as
     * the call returns, while the agent reads it later on its own thread.
     */
    static Object[] snapshot(Object[] arguments) {
        Object[] copy = arguments.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] instanceof List) {
                try {
                    copy[i] = new ArrayList<>((List<?>) copy[i]);
                } catch (RuntimeException e) {
                    // a list that cannot be copied is read as it is later
                }
            }
        }
        return copy;
    }

    /**
     * An object of the library's class loader, through which SLF4J's MDC is found: the first
     * argument, else the receiver (a tool's input is a JDK string, its callback the library's).
     */
    private static Object sessionSource(Object receiver, Object[] arguments) {
        Object first = arguments.length == 0 ? null : arguments[0];
        if (first != null && first.getClass().getClassLoader() != null) {
            return first;
        }
        return receiver != null ? receiver : first;
    }

    private InFlightCall begin(OperationSpec spec, Object receiver, Object[] arguments, Object sessionSource,
                               long uploadBytes) {
        long start = EpochClock.now();
        TraceContext context = TraceContext.current();
        String session = context != null ? context.sessionId : null;
        if (session == null) {
            session = sessionReader.read(sessionSource);
        }
        long anchor = context != null ? context.turnAnchor : 0;
        String[] attributes = context != null ? context.attributes : null;
        if (attributes == null && attributeKeys.length > 0) {
            attributes = readAttributes(sessionSource);
        }
        boolean generated = false;
        TurnIdentity turn = context != null ? context.turn : null;
        if (spec.kind == StageKind.STT) {
            if (session == null && generateSessions) {
                session = generatedSessionId();
                generated = true;
            }
            anchor = newTurnAnchor();
            TurnIdentities identities = turnIdentities;
            turn = identities == null ? null : identities.newTurn(sessionSource);
            TraceContext.set(new TraceContext(session, anchor, attributes, turn));
        }
        InFlightCall call = new InFlightCall(spec, receiver, arguments, sink, start, session, anchor, uploadBytes);
        call.contextTurn = turn;
        call.contextAttributes(attributes);
        call.sessionGenerated = generated;
        return call;
    }

    /** Without a context (propagation off, or no MDC change seen yet) the MDC is read directly. */
    private String[] readAttributes(Object sessionSource) {
        String[] values = null;
        for (int i = 0; i < attributeKeys.length; i++) {
            String value = sessionReader.read(sessionSource, attributeKeys[i]);
            if (value != null) {
                if (values == null) {
                    values = new String[attributeKeys.length];
                }
                values[i] = value;
            }
        }
        return values;
    }

    /**
     * The ids of a turn that starts now outside an intercepted call (a socket's utterance), found as
     * a transcription's are from {@code source}'s class loader; null when turns' ids are not fixed
     * at their start (trace context across services is off).
     */
    public TurnIdentity newTurnIdentity(Object source) {
        TurnIdentities identities = turnIdentities;
        return identities == null ? null : identities.newTurn(source);
    }

    /** A fresh turn anchor, for a transcription that starts a turn outside an intercepted call (a socket's utterance). */
    public static long newTurnAnchor() {
        return TURN_ANCHORS.incrementAndGet();
    }

    /** A session id for a conversation that came with none: {@code conversation-} and 32 hex digits. */
    public static String generatedSessionId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "conversation-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(1)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(1);
    }

    /**
     * Runs {@code action} (a framework's work for {@code call} that happens after its method
     * returned, e.g. subscribing to a reactive stream) with {@code call} as the framework call in
     * progress on this thread, so that an SDK call made synchronously inside is seen as nested.
     */
    public static void within(InFlightCall call, Runnable action) {
        InFlightCall previous = outermost.get();
        outermost.set(call);
        try {
            action.run();
        } finally {
            // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
            outermost.set(previous);
        }
    }

    /** The framework call in progress on this thread, or null. */
    private static InFlightCall enclosingFrameworkCall() {
        InFlightCall outer = outermost.get();
        return outer != null && !outer.isCompleted() ? outer : null;
    }

    /**
     * Bytes of a file upload in a multipart request, read before the library consumes the stream.
     * Stainless-style multipart params return their file part from {@code file()}, and every part,
     * as a map, from {@code _body()}: the first is preferred, as {@code _body()} builds the whole
     * map again on every call, on the application's thread.
     */
    private static long uploadSize(Object request) {
        try {
            Method file = SdkMembers.method(request.getClass(), "file");
            if (file != null) {
                long size = sizeOf(file.invoke(request));
                if (size >= 0) {
                    return size;
                }
            }
            Method body = SdkMembers.method(request.getClass(), "_body");
            if (body == null || !Map.class.isAssignableFrom(body.getReturnType())) {
                return -1;
            }
            Object parts = body.invoke(request);
            if (!(parts instanceof Map)) {
                return -1;
            }
            for (Object part : ((Map<?, ?>) parts).values()) {
                long size = sizeOf(SdkMembers.multipartValue(part));
                if (size >= 0) {
                    return size;
                }
            }
        } catch (Exception | LinkageError e) {
            return -1;
        }
        return -1;
    }

    /** The bytes an upload part's value holds, when it is a stream or an array; else -1. */
    private static long sizeOf(Object value) throws java.io.IOException {
        if (value instanceof InputStream) {
            return ((InputStream) value).available();
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).length;
        }
        return -1;
    }

}
