package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.WovenClasses.classFile;
import static dev.voicetrace.agent.instrument.WovenClasses.define;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Value.argument;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matchers;
import dev.voicetrace.agent.instrument.weave.Value;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Hooks the tests weave in (public and static, as the agent's bootstrap hooks are). */
    public static final class Hooks {
        public static final List<String> SEEN = new ArrayList<>();

        public static Object shout(String name, Object greeting) {
            return ((String) greeting).toUpperCase() + " (" + name.length() + ")";
        }

        public static void thrown(Throwable thrown) {
            SEEN.add(thrown == null ? "none" : thrown.getMessage());
        }
    }

    private static final Advice SHOUT = Advice.onExit(Hooks.class, "shout", argument(0), Value.RETURNED)
            .replacingReturn();

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static Object instanceOf(byte[] woven) throws Exception {
        return define(Greeter.class, woven).getConstructor().newInstance();
    }

    private static Object call(Object target, String method, String argument) throws Exception {
        try {
            return target.getClass().getMethod(method, String.class).invoke(target, argument);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theAdviceIsWovenIntoTheMatchedMethodsOnly() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named(Greeter.class.getName())).advise(named("greet"), SHOUT);

        byte[] woven = weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class));

        assertNotNull(woven);
        Object greeter = instanceOf(woven);
        assertEquals("HELLO ADA (3)", call(greeter, "greet", "ada"));
        assertEquals("ada", call(greeter, "untouched", "ada"));
    }

    @Test
    void exitAdviceOnThrowableSeesTheExceptionWhichStillReachesTheCaller() throws Exception {
        Hooks.SEEN.clear();
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named(Greeter.class.getName())).advise(Matchers.namedOneOf("greet", "fail"),
                Advice.onExit(Hooks.class, "thrown", Value.THROWN).alsoOnThrowable());
        Object greeter = instanceOf(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class),
                null, null, classFile(Greeter.class)));

        call(greeter, "greet", "ada");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> call(greeter, "fail", "bob"));

        assertEquals("no bob", thrown.getMessage());
        assertEquals(List.of("none", "no bob"), Hooks.SEEN);
    }

    @Test
    void aClassNoRuleMatchesIsLeftAsItIs() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named("com.example.Other")).advise(named("greet"), SHOUT);
        weaver.forTypes((type, loader) -> false).advise(named("greet"), SHOUT);

        assertNull(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class)));
        assertFalse(weaver.appliesTo(Greeter.class));
    }

    @Test
    void aClassWhoseNameNoRuleAcceptsIsNotRead() throws Exception {
        List<String> failures = new ArrayList<>();
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> failures.add(type));
        List<String> described = new ArrayList<>();
        weaver.forTypes(Matchers.nameStartsWith("com.example.services."), (type, loader) -> {
            described.add(type.name());
            return false;
        }).advise(named("greet"), SHOUT);
        byte[] notAClassFile = {1, 2, 3};

        assertNull(weaver.transform(null, getClass().getClassLoader(), "com/example/models/Message", null, null,
                notAClassFile));
        assertEquals(List.of(), failures, "a name the filter refuses: the bytes are never parsed");
        assertFalse(weaver.appliesTo(Greeter.class));
        assertEquals(List.of(), described);

        assertNull(weaver.transform(null, getClass().getClassLoader(), "com/example/services/Chat", null, null,
                notAClassFile));
        assertEquals(List.of("com.example.services.Chat"), failures, "a name it accepts: the class file is read");
    }

    @Test
    void aLoadedClassIsDescribedFromItsClassFileWhenRetransformed() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        List<ClassLoader> loaders = new ArrayList<>();
        weaver.forTypes((type, loader) -> {
            loaders.add(loader);
            return type.name().equals(Greeter.class.getName());
        }).advise(named("greet"), SHOUT);

        assertTrue(weaver.appliesTo(Greeter.class));
        byte[] woven = weaver.transform(null, Greeter.class.getClassLoader(), internalName(Greeter.class),
                Greeter.class, null, classFile(Greeter.class));

        assertEquals("HELLO ADA (3)", call(instanceOf(woven), "greet", "ada"));
        assertEquals(Greeter.class.getClassLoader(), loaders.get(loaders.size() - 1));
    }

    @Test
    void aMatchedClassWithoutTheAdvisedMethodsLoadsUnchangedWithItsWarningOnce() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> { throw new AssertionError(failure); });
        weaver.forTypes(named(Greeter.class.getName())).advise(named("farewell"), SHOUT)
                .warnIfNoMethodMatches("this Greeter has no farewell; it runs untraced");
        weaver.forTypes(named(Greeter.class.getName())).advise(named("greet"), SHOUT)
                .warnIfNoMethodMatches("this Greeter has no greet");

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        byte[] woven;
        try {
            woven = weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                    classFile(Greeter.class));
            weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                    classFile(Greeter.class));
        } finally {
            System.setErr(original);
        }

        // The rule that found its method still weaves it.
        assertEquals("HELLO ADA (3)", call(instanceOf(woven), "greet", "ada"));
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.split("this Greeter has no farewell; it runs untraced", -1).length - 1, log);
        assertFalse(log.contains("no greet"), log);
    }

    @Test
    void aClassThatCannotBeWovenLoadsUnchangedAndIsReported() throws Exception {
        AtomicReference<String> reported = new AtomicReference<>();
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> reported.set(type + ": " + failure));
        // greet has one argument: there is no fifth to pass
        weaver.forTypes(named(Greeter.class.getName())).advise(named("greet"),
                Advice.onExit(Hooks.class, "shout", argument(4), Value.RETURNED));

        assertNull(weaver.transform(null, getClass().getClassLoader(), internalName(Greeter.class), null, null,
                classFile(Greeter.class)));
        assertNotNull(reported.get());
        assertTrue(reported.get().startsWith(Greeter.class.getName() + ": "), reported.get());
        assertTrue(reported.get().contains("no argument 4"), reported.get());
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
        }).advise(named("greet"), SHOUT);

        assertNotNull(weaver[0].transform(null, getClass().getClassLoader(), internalName(Greeter.class), null,
                null, classFile(Greeter.class)));
        assertNull(nested.get());
    }
}
