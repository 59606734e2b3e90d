package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.capture.TurnIdentities;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.lang.reflect.Method;

/**
 * Fixes a turn's ids when its transcription starts; when the application has OpenTelemetry's API
 * and a span is current (its SDK, or the OpenTelemetry agent, records it), the turn becomes part
 * of that trace, its root a child of that span. The API is looked up once per class of the
 * intercepted call, in that class's loader, and only used if the application has it.
 */
public final class OpenTelemetrySpans implements TurnIdentities {

    static final String SPAN = "io.opentelemetry.api.trace.Span";

    /** {@code Span.current()}, {@code Span.getSpanContext()}, and the span context's {@code isValid}, {@code getTraceId}, {@code getSpanId}. */
    private static final ClassValue<Method[]> API = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            try {
                Class<?> span = Class.forName(SPAN, false, type.getClassLoader());
                Method getSpanContext = span.getMethod("getSpanContext");
                Class<?> context = getSpanContext.getReturnType();
                Method[] api = {span.getMethod("current"), getSpanContext, context.getMethod("isValid"),
                    context.getMethod("getTraceId"), context.getMethod("getSpanId")};
                // Accessible once: otherwise every call checks access against its caller, a stack
                // walk on the application's thread at the start of every turn.
                for (Method method : api) {
                    try {
                        method.setAccessible(true);
                    } catch (RuntimeException notOpen) {
                        // a public method of the public API is callable anyway, with the check
                    }
                }
                return api;
            } catch (ClassNotFoundException | NoSuchMethodException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    @Override
    public TurnIdentity newTurn(Object callSource) {
        Method[] api = callSource == null ? null : API.get(callSource.getClass());
        if (api != null) {
            try {
                Object context = api[1].invoke(api[0].invoke(null));
                if (Boolean.TRUE.equals(api[2].invoke(context))) {
                    return TurnIdentity.local((String) api[3].invoke(context), (String) api[4].invoke(context));
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // The turn gets a trace of its own.
            }
        }
        return TurnIdentity.local(null, null);
    }
}
