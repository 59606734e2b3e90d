package dev.voicetrace.agent.capture;

import java.lang.reflect.Method;

/**
 * Reads the session id the application put in its logging context (SLF4J's MDC), on the calling
 * thread. SLF4J is looked up through the class loader of the library being called, and only once
 * the application itself has loaded the MDC class: touching it earlier would initialise SLF4J on
 * the application's behalf (and print its warnings), and the agent never loads a class the
 * application has not asked for.
 */
public final class ContextSessionReader {

    public static final String MDC_CLASS = "org.slf4j.MDC";

    private final String mdcKey;
    private volatile boolean mdcLoaded;

    private final ClassValue<Method> mdcGet = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            try {
                Class<?> mdc = Class.forName(MDC_CLASS, false,
                        loader != null ? loader : ClassLoader.getSystemClassLoader());
                Method get = mdc.getMethod("get", String.class);
                get.setAccessible(true);
                return get;
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    };

    public ContextSessionReader(String mdcKey) {
        this.mdcKey = mdcKey;
    }

    /** Called when the application loads SLF4J's MDC class. */
    public void onMdcLoaded() {
        if (!mdcLoaded) {
            dev.voicetrace.agent.AgentLog.debug("SLF4J MDC loaded: session ids are read from MDC key " + mdcKey);
        }
        mdcLoaded = true;
    }

    /** The session id in the current thread's context, or null. */
    public String read(Object request) {
        return read(request, mdcKey);
    }

    /** The value of an MDC key in the current thread's context, or null. */
    public String read(Object request, String key) {
        if (request == null || !mdcLoaded || key == null) {
            return null;
        }
        Method get = mdcGet.get(request.getClass());
        if (get == null) {
            return null;
        }
        try {
            Object value = get.invoke(null, key);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
