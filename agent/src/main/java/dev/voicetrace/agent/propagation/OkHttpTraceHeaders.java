package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TracePropagation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Trace context on OkHttp 4 and 5 calls. The call's request is read and replaced (a copy with the
 * added headers, made through {@code Request.newBuilder()}) just before the interceptor chain runs,
 * so the application's own interceptors and the network see it. All by reflection: OkHttp is the
 * application's class.
 */
final class OkHttpTraceHeaders {

    private OkHttpTraceHeaders() {}

    /** What is used of a RealCall class and its request class; null members when this OkHttp is not understood. */
    private static final class Members {
        final Field originalRequest;
        final Method url;
        final Method host;
        final Method port;
        final Method header;
        final Method newBuilder;
        final Method addHeader;
        final Method build;

        Members(Class<?> callType) throws ReflectiveOperationException {
            originalRequest = callType.getDeclaredField("originalRequest");
            originalRequest.setAccessible(true);
            Class<?> requestType = originalRequest.getType();
            url = requestType.getMethod("url");
            host = url.getReturnType().getMethod("host");
            port = url.getReturnType().getMethod("port");
            header = requestType.getMethod("header", String.class);
            newBuilder = requestType.getMethod("newBuilder");
            addHeader = newBuilder.getReturnType().getMethod("addHeader", String.class, String.class);
            build = newBuilder.getReturnType().getMethod("build");
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
    static void decorate(Object call) throws ReflectiveOperationException {
        Members members = MEMBERS.get(call.getClass());
        if (members == null) {
            return;
        }
        Object request = members.originalRequest.get(call);
        Object url = members.url.invoke(request);
        String[] added = TracePropagation.outgoingHeaders((String) members.host.invoke(url),
                (Integer) members.port.invoke(url),
                (String) members.header.invoke(request, TracePropagation.TRACEPARENT),
                members.header.invoke(request, TracePropagation.TRACESTATE) != null,
                members.header.invoke(request, TracePropagation.BAGGAGE) != null);
        if (added == null) {
            return;
        }
        Object builder = members.newBuilder.invoke(request);
        for (int i = 0; i + 1 < added.length; i += 2) {
            members.addHeader.invoke(builder, added[i], added[i + 1]);
        }
        members.originalRequest.set(call, members.build.invoke(builder));
    }
}
