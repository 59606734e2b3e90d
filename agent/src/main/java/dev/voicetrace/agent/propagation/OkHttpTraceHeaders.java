package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TracePropagation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Trace context on OkHttp 4 and 5 calls. The call's request is read and replaced (a copy with the
 * added headers, made through {@code Request.newBuilder()}) just before the interceptor chain runs,
 * so the application's own interceptors and the network see it. OkHttp is the application's
 * class, so its members are found by reflection once and called through method handles.
 *
 * <p>Why handles: this runs on the application's thread inside every OkHttp call, so the JIT
 * compiles it into the call's own code. {@code Method.invoke} brings along the JDK's access checks
 * and accessor dispatch, whose profile every reflective caller in the process shares: compiled
 * into the call path, they made one compilation of it take some 0.8 s of the C2 compiler's time
 * in the voice benchmark. A handle call compiles to one indirect call.
 */
final class OkHttpTraceHeaders {

    private OkHttpTraceHeaders() {}

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    /** What is used of a RealCall class and its request class; null when this OkHttp is not understood. */
    private static final class Members {
        final MethodHandle originalRequest;
        final MethodHandle setOriginalRequest;
        final MethodHandle url;
        final MethodHandle host;
        final MethodHandle port;
        final MethodHandle header;
        final MethodHandle newBuilder;
        final MethodHandle addHeader;
        final MethodHandle build;

        Members(Class<?> callType) throws ReflectiveOperationException {
            Field request = callType.getDeclaredField("originalRequest");
            request.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            // An accessible field's handles are made without a further access check.
            originalRequest = MethodHandles.lookup().unreflectGetter(request).asType(GETTER);
            setOriginalRequest = MethodHandles.lookup().unreflectSetter(request)
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
            Class<?> requestType = request.getType();
            Method urlMethod = requestType.getMethod("url");
            url = lookup.unreflect(urlMethod).asType(GETTER);
            host = lookup.unreflect(urlMethod.getReturnType().getMethod("host")).asType(GETTER);
            port = lookup.unreflect(urlMethod.getReturnType().getMethod("port"))
                    .asType(MethodType.methodType(int.class, Object.class));
            header = lookup.unreflect(requestType.getMethod("header", String.class))
                    .asType(MethodType.methodType(Object.class, Object.class, String.class));
            Method newBuilderMethod = requestType.getMethod("newBuilder");
            newBuilder = lookup.unreflect(newBuilderMethod).asType(GETTER);
            Class<?> builderType = newBuilderMethod.getReturnType();
            addHeader = lookup.unreflect(builderType.getMethod("addHeader", String.class, String.class))
                    .asType(MethodType.methodType(Object.class, Object.class, String.class, String.class));
            build = lookup.unreflect(builderType.getMethod("build")).asType(GETTER);
        }
    }

    private static final ClassValue<Members> MEMBERS = new ClassValue<Members>() {
        @Override
        protected Members computeValue(Class<?> type) {
            try {
                return new Members(type);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    /** Adds trace context to the request of {@code call} (an {@code okhttp3.internal.connection.RealCall}). */
    static void decorate(Object call) throws Exception {
        Members members = MEMBERS.get(call.getClass());
        if (members == null) {
            return;
        }
        try {
            decorate(call, members);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable other) {
            throw new java.lang.reflect.InvocationTargetException(other);
        }
    }

    private static void decorate(Object call, Members members) throws Throwable {
        Object request = (Object) members.originalRequest.invokeExact(call);
        Object url = (Object) members.url.invokeExact(request);
        String host = (String) (Object) members.host.invokeExact(url);
        int port = (int) members.port.invokeExact(url);
        if (!TracePropagation.sendsTo(host, port)) {
            return;
        }
        String[] added = TracePropagation.outgoingHeaders(host, port,
                (String) (Object) members.header.invokeExact(request, TracePropagation.TRACEPARENT),
                (Object) members.header.invokeExact(request, TracePropagation.TRACESTATE) != null,
                (Object) members.header.invokeExact(request, TracePropagation.BAGGAGE) != null);
        if (added == null) {
            return;
        }
        Object builder = (Object) members.newBuilder.invokeExact(request);
        for (int i = 0; i + 1 < added.length; i += 2) {
            Object ignored = (Object) members.addHeader.invokeExact(builder, added[i], added[i + 1]);
        }
        members.setOriginalRequest.invokeExact(call, (Object) members.build.invokeExact(builder));
    }
}
