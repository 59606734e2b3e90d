package dev.voicetrace.agent.capture;

import java.lang.reflect.Method;

/**
 * Reads the session id the application put in its logging context (SLF4J's MDC), on the calling
 * thread. SLF4J is looked up through the class loader of the library being called, and only if
 * the application has it: the agent never loads a class the application does not have.
 */
public final class ContextSessionReader {

    private final String mdcKey;

    private final ClassValue<Method> mdcGet = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            try {
                Class<?> mdc = Class.forName("org.slf4j.MDC", false,
                        loader != null ? loader : ClassLoader.getSystemClassLoader());
                return mdc.getMethod("get", String.class);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    };

    public ContextSessionReader(String mdcKey) {
        this.mdcKey = mdcKey;
    }

    /** The session id in the current thread's context, or null. */
    public String read(Object request) {
        if (request == null) {
            return null;
        }
        Method get = mdcGet.get(request.getClass());
        if (get == null) {
            return null;
        }
        try {
            Object value = get.invoke(null, mdcKey);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
