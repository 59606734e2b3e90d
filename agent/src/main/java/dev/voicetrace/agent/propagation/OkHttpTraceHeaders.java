package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.http.OkHttpSide;
import dev.voicetrace.bootstrap.OkHttpCallView;
import java.lang.reflect.Field;

/**
 * Trace context on OkHttp 4 and 5 calls. The call's request is replaced (a copy with the added
 * headers, made by the {@link OkHttpSide} view in plain calls to OkHttp) just before the
 * interceptor chain runs, so the application's own interceptors and the network see it. Only the
 * call's final request field, which no OkHttp method sets, is written through reflection, and only
 * when headers are added.
 */
final class OkHttpTraceHeaders {

    private OkHttpTraceHeaders() {}

    private static final ClassValue<Field> REQUEST_FIELDS = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> callType) {
            try {
                Field request = callType.getDeclaredField("originalRequest");
                request.setAccessible(true);
                return request;
            } catch (ReflectiveOperationException | RuntimeException e) {
                AgentLog.debug("no trace context on OkHttp calls of " + callType.getName() + ": " + e);
                return null;
            }
        }
    };

    /** Adds trace context to the request of {@code call} (an {@code okhttp3.internal.connection.RealCall}). */
    static void decorate(Object call) throws IllegalAccessException {
        Class<?> callType = call.getClass();
        OkHttpCallView view = OkHttpSide.viewOf(callType);
        Field requestField = REQUEST_FIELDS.get(callType);
        if (view == null || requestField == null) {
            return;
        }
        Object traced;
        try {
            traced = view.tracedRequest(call);
        } catch (LinkageError e) {
            OkHttpSide.lacking(callType, e);
            return;
        }
        if (traced != null) {
            requestField.set(call, traced);
        }
    }
}
