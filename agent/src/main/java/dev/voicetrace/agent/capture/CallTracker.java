package dev.voicetrace.agent.capture;

import dev.voicetrace.bootstrap.ClientCallListener;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Map;

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
    private final ThreadLocal<InFlightCall> outermost = new ThreadLocal<>();

    public CallTracker(OperationRegistry registry, CallSink sink, ContextSessionReader sessionReader) {
        this.registry = registry;
        this.sink = sink;
        this.sessionReader = sessionReader;
    }

    @Override
    public Object onEnter(String method, Object request) {
        if (request == null) {
            return null;
        }
        OperationSpec spec = registry.lookup(request.getClass().getName(), method);
        if (spec == null || nestedInFramework()) {
            return null;
        }
        long start = EpochClock.now();
        return new InFlightCall(spec, request, sink, start, sessionReader.read(request), uploadSize(request));
    }

    @Override
    public Object onEnterCall(String operationKey, Object[] arguments) {
        OperationSpec spec = registry.lookupCall(operationKey, arguments);
        if (spec == null || nestedInFramework()) {
            return null;
        }
        Object request = arguments.length == 0 ? null : arguments[0];
        InFlightCall call = new InFlightCall(spec, arguments.clone(), sink, EpochClock.now(),
                sessionReader.read(request), -1);
        spec.observer.onArguments(call, arguments);
        if (spec.outermost) {
            outermost.set(call);
        }
        return call;
    }

    @Override
    public Object onExit(Object handle, Object result, Throwable thrown) {
        InFlightCall call = (InFlightCall) handle;
        if (call.spec().outermost && outermost.get() == call) {
            outermost.remove();
        }
        if (thrown != null) {
            call.fail(thrown);
            return result;
        }
        return call.spec().observer.onResult(call, result);
    }

    private boolean nestedInFramework() {
        InFlightCall outer = outermost.get();
        return outer != null && !outer.isCompleted();
    }

    /**
     * Bytes of a file upload in a multipart request, read before the library consumes the stream.
     * Stainless-style multipart params expose their parts as a map from {@code _body()}.
     */
    private static long uploadSize(Object request) {
        Method body = MULTIPART_BODY.get(request.getClass());
        if (body == null) {
            return -1;
        }
        try {
            Object parts = body.invoke(request);
            if (!(parts instanceof Map)) {
                return -1;
            }
            for (Object part : ((Map<?, ?>) parts).values()) {
                Object value = SdkReflection.multipartValue(part);
                if (value instanceof InputStream) {
                    return ((InputStream) value).available();
                }
                if (value instanceof byte[]) {
                    return ((byte[]) value).length;
                }
            }
        } catch (Exception | LinkageError e) {
            return -1;
        }
        return -1;
    }

    private static final ClassValue<Method> MULTIPART_BODY = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method method = type.getMethod("_body");
                return Map.class.isAssignableFrom(method.getReturnType()) ? method : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };
}
