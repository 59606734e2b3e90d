package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

class AdviceWeaverTest {

    /** The class woven: defined afresh from its class file by each test. */
    public static final class Greeter {
        public String greet(String name) {
            return "hello " + name;
        }

        public String fail(String name) {
            throw new IllegalStateException("no " + name);
        }

        public String untouched(String name) {
            return name;
        }
    }

    /** Inlined: reads an argument and replaces the return value. */
    public static final class ShoutAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) String name,
                                @Advice.Return(readOnly = false) String greeting) {
            greeting = greeting.toUpperCase() + " (" + name.length() + ")";
        }
    }

    /** Inlined: sees what the method threw, and lets it through. */
    public static final class ThrownAdvice {
        public static final List<String> SEEN = new ArrayList<>();

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Thrown Throwable thrown) {
            SEEN.add(thrown == null ? "none" : thrown.getMessage());
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    /** Defines the woven class in a loader of its own, which sees the test's classes for the rest. */
    private static Object instanceOf(byte[] woven) throws Exception {
        ClassLoader loader = new ClassLoader(AdviceWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Greeter.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> defined = findLoadedClass(name);
                        return defined != null ? defined : defineClass(name, woven, 0, woven.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return loader.loadClass(Greeter.class.getName()).getConstructor().newInstance();
    }

    private static Object call(Object target, String method, String argument) throws Exception {
        try {
            return target.getClass().getMethod(method, String.class).invoke(target, argument);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theAdviceIsInlinedIntoTheMatchedMethodsOnly() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named(Greeter.class.getName()))
                .advise(named("greet"), ShoutAdvice.class.getName());

        byte[] woven = weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class));

        assertNotNull(woven);
        Object greeter = instanceOf(woven);
        assertEquals("HELLO ADA (3)", call(greeter, "greet", "ada"));
        assertEquals("ada", call(greeter, "untouched", "ada"));
    }

    @Test
    void exitAdviceOnThrowableSeesTheExceptionWhichStillReachesTheCaller() throws Exception {
        ThrownAdvice.SEEN.clear();
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named(Greeter.class.getName()))
                .advise(ElementMatchers.namedOneOf("greet", "fail"), ThrownAdvice.class.getName());
        Object greeter = instanceOf(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class),
                null, null, classFile(Greeter.class)));

        call(greeter, "greet", "ada");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> call(greeter, "fail", "bob"));

        assertEquals("no bob", thrown.getMessage());
        assertEquals(List.of("none", "no bob"), ThrownAdvice.SEEN);
    }

    @Test
    void aClassNoRuleMatchesIsLeftAsItIs() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named("com.example.Other")).advise(named("greet"), ShoutAdvice.class.getName());
        weaver.forTypes((type, loader) -> false).advise(named("greet"), ShoutAdvice.class.getName());

        assertNull(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class)));
        assertFalse(weaver.appliesTo(Greeter.class));
    }

    @Test
    void aLoadedClassIsDescribedFromItselfWhenRetransformed() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        List<ClassLoader> loaders = new ArrayList<>();
        weaver.forTypes((type, loader) -> {
            loaders.add(loader);
            return type.getName().equals(Greeter.class.getName());
        }).advise(named("greet"), ShoutAdvice.class.getName());

        assertTrue(weaver.appliesTo(Greeter.class));
        byte[] woven = weaver.transform(null, Greeter.class.getClassLoader(), internalName(Greeter.class),
                Greeter.class, null, classFile(Greeter.class));

        assertEquals("HELLO ADA (3)", call(instanceOf(woven), "greet", "ada"));
        assertEquals(Greeter.class.getClassLoader(), loaders.get(loaders.size() - 1));
    }

    @Test
    void aClassThatCannotBeWovenLoadsUnchangedAndIsReported() throws Exception {
        AtomicReference<String> reported = new AtomicReference<>();
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> reported.set(type + ": " + failure));
        weaver.forTypes(named(Greeter.class.getName())).advise(named("greet"), "com.example.NoSuchAdvice");

        assertNull(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class)));
        assertNotNull(reported.get());
        assertTrue(reported.get().startsWith(Greeter.class.getName() + ": "), reported.get());
        assertTrue(reported.get().contains("NoSuchAdvice"), reported.get());
    }

    @Test
    void aClassLoadedWhileWeavingIsNotWovenInTurn() throws Exception {
        AtomicReference<byte[]> nested = new AtomicReference<>(new byte[0]);
        AdviceWeaver[] weaver = new AdviceWeaver[1];
        weaver[0] = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver[0].forTypes((type, loader) -> {
            // As a class loader would, when it loads a class while the weaver reads a class file.
            try {
                nested.set(weaver[0].transform(null, loader, internalName(Greeter.class), null, null,
                        classFile(Greeter.class)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return true;
        }).advise(named("greet"), ShoutAdvice.class.getName());

        assertNotNull(weaver[0].transform(null, getClass().getClassLoader(), internalName(Greeter.class), null,
                null, classFile(Greeter.class)));
        assertNull(nested.get());
    }
}
