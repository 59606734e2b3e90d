package dev.voicetrace.agent.instrument;

import java.lang.instrument.Instrumentation;

/** The classes the JVM has loaded, for the agent's threads that may still run while it exits. */
public final class LoadedClasses {

    private static final Class<?>[] NONE = new Class<?>[0];

    private LoadedClasses() {}

    /**
     * {@link Instrumentation#getAllLoadedClasses()}, or none once the JVM is past the point where
     * it answers such questions: there it returns null (a short application can exit while the
     * installer thread is still at work).
     */
    public static Class<?>[] all(Instrumentation instrumentation) {
        Class<?>[] loaded = instrumentation.getAllLoadedClasses();
        return loaded == null ? NONE : loaded;
    }
}
