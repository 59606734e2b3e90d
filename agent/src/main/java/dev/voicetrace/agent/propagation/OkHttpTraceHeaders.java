package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.bootstrap.TracePropagation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.function.Function;

/**
 * Trace context on OkHttp 4 and 5 calls. The call's request is replaced (a copy with the added
 * headers) just before the interceptor chain runs, so the application's own interceptors and the
 * network see it.
 *
 * <p>The request is read and copied by {@code okhttp.TracedRequests}, a class compiled against
 * OkHttp and defined, once per OkHttp class loader, in a loader whose parent is that one: its calls
 * to OkHttp are ordinary calls, compiled into the application's call path like the application's
 * own code. (Found by reflection and called through method handles, the same nine calls cost some
 * 80 µs per call on the application's thread in the voice benchmark, the handles' dispatch
 * running uncompiled at a voice application's pace.) Only the call's final request field, which
 * no OkHttp method sets, is written through reflection, and only when headers are added.
 */
final class OkHttpTraceHeaders {

    private OkHttpTraceHeaders() {}

    static final String TRACED_REQUESTS = "dev.voicetrace.agent.propagation.okhttp.TracedRequests";

    /** The means to decorate one RealCall class's calls; null when this OkHttp is not understood. */
    private static final class Decorator {
        final Function<Object, Object> tracedRequest;
        final Field originalRequest;
        /** Set when the OkHttp in use lacks a member the compiled class calls: its calls are left alone. */
        volatile boolean unusable;

        Decorator(Class<?> callType) throws ReflectiveOperationException, IOException {
            originalRequest = callType.getDeclaredField("originalRequest");
            originalRequest.setAccessible(true);
            tracedRequest = definedFor(callType.getClassLoader());
        }
    }

    private static final ClassValue<Decorator> DECORATORS = new ClassValue<Decorator>() {
        @Override
        protected Decorator computeValue(Class<?> type) {
            try {
                return new Decorator(type);
            } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
                AgentLog.debug("no trace context on OkHttp calls of " + type.getName() + ": " + e);
                return null;
            }
        }
    };

    /** Adds trace context to the request of {@code call} (an {@code okhttp3.internal.connection.RealCall}). */
    static void decorate(Object call) throws IllegalAccessException {
        Decorator decorator = DECORATORS.get(call.getClass());
        if (decorator == null || decorator.unusable) {
            return;
        }
        Object traced;
        try {
            traced = decorator.tracedRequest.apply(call);
        } catch (LinkageError e) {
            decorator.unusable = true;
            AgentLog.debug("no trace context on OkHttp calls of " + call.getClass().getName() + ": " + e);
            return;
        }
        if (traced != null) {
            decorator.originalRequest.set(call, traced);
        }
    }

    /** A new instance of the compiled class, defined where {@code okHttpLoader}'s OkHttp resolves. */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> definedFor(ClassLoader okHttpLoader)
            throws ReflectiveOperationException, IOException {
        byte[] classFile;
        try (InputStream in = OkHttpTraceHeaders.class.getResourceAsStream(
                "/" + TRACED_REQUESTS.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException(TRACED_REQUESTS + " missing from the agent jar");
            }
            classFile = in.readAllBytes();
        }
        Class<?> defined = new OkHttpSideLoader(okHttpLoader).define(TRACED_REQUESTS, classFile);
        return (Function<Object, Object>) defined.getConstructor().newInstance();
    }

    /**
     * Holds the one class. What it names resolves through the parent (OkHttp, the JDK), except the
     * agent's bootstrap classes, taken from where the agent has them: a loader that delegates only
     * {@code java.*} (an OSGi bundle's) would not find them. Defining the class here, rather than
     * loading it by name, keeps it from resolving to a copy in a loader that sees no OkHttp.
     */
    private static final class OkHttpSideLoader extends ClassLoader {
        private static final String BOOTSTRAP_PACKAGE = TracePropagation.class.getPackageName() + ".";

        OkHttpSideLoader(ClassLoader okHttpLoader) {
            super("voicetrace-okhttp", okHttpLoader);
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(BOOTSTRAP_PACKAGE)) {
                return Class.forName(name, false, TracePropagation.class.getClassLoader());
            }
            return super.loadClass(name, resolve);
        }
    }
}
