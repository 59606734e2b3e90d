package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the installer sees of the loaded classes, also once the JVM no longer answers. */
class LoadedClassesTest {

    /** An Instrumentation whose getAllLoadedClasses answers {@code loaded}, as the JVM's does. */
    private static Instrumentation answering(Class<?>[] loaded) {
        return (Instrumentation) Proxy.newProxyInstance(LoadedClassesTest.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getAllLoadedClasses")) {
                        return loaded;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theJvmsAnswerIsPassedOn() {
        Class<?>[] loaded = {String.class, List.class};
        assertSame(loaded, LoadedClasses.all(answering(loaded)));
    }

    @Test
    void aJvmPastItsDeathAnswersNullWhichMeansNone() {
        // JPLIS returns null when JVMTI answers "wrong phase": the JVM is exiting.
        assertArrayEquals(new Class<?>[0], LoadedClasses.all(answering(null)));
        assertEquals(List.of(), NamedClasses.loaded(answering(null), List.of("java.lang.String")));
    }
}
