package dev.voicetrace.agent.instrument.weave;

import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Value.ALL_ARGUMENTS;
import static dev.voicetrace.agent.instrument.weave.Value.DECLARING_CLASS;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.METHOD_NAME;
import static dev.voicetrace.agent.instrument.weave.Value.NULL;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.THROWN;
import static dev.voicetrace.agent.instrument.weave.Value.argument;
import static dev.voicetrace.agent.instrument.weave.Value.constant;
import static dev.voicetrace.agent.instrument.weave.Value.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.instrument.AdviceWeaver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The code the weaver writes, run: values of every kind handed to hooks, return values and
 * arguments replaced, hooks that fail, constructors, and frames where branches of different
 * types meet. Each test weaves {@link Subject} afresh from its class file and defines it in a
 * loader of its own.
 */
class MethodWeavingTest {

    public static class Base {
        public String name() {
            return "base";
        }
    }

    public static final class Left extends Base {
        @Override
        public String name() {
            return "left";
        }
    }

    public static final class Right extends Base {
        @Override
        public String name() {
            return "right";
        }
    }

    public static class Subject {
        public static String label = "static label";
        private final String tag;

        public Subject() {
            this("plain");
        }

        public Subject(String tag) {
            this.tag = tag;
        }

        public long sum(int count, long start, double scale) {
            long total = start;
            for (int i = 0; i < count; i++) {
                double step = i * scale;
                total += (long) step;
            }
            return total;
        }

        public int twice(int value) {
            return value * 2;
        }

        public static String pick(boolean left) {
            Base chosen = left ? new Left() : new Right();
            return chosen.name();
        }

        public String guarded(String text) {
            try {
                return text.trim();
            } catch (RuntimeException e) {
                return "caught " + e.getClass().getSimpleName();
            }
        }

        public void nothing() {
        }

        public String fail(String why) {
            throw new IllegalStateException(why);
        }

        /**
         * javac gives {@code first}, {@code doubled} and {@code again} one slot: it holds an object
         * where the try begins and where its straight-line code ends, and an int in between.
         */
        public int reuse(int n) {
            {
                Object first = "a" + n;
                n += first.toString().length();
            }
            try {
                {
                    int doubled = n * 2;
                    n += Integer.parseInt(String.valueOf(doubled));
                }
                {
                    Object again = "b" + n;
                    n += again.toString().length();
                }
                return n;
            } catch (RuntimeException e) {
                return -1;
            }
        }

        public String tag() {
            return tag;
        }
    }

    /** The hooks woven in: public and static, as the agent's bootstrap hooks are. */
    public static final class Hooks {
        static final List<List<Object>> CALLS = new ArrayList<>();

        public static Object token(String method, Object self, Object first) {
            CALLS.add(Arrays.asList("token", method, self, first));
            return "token:" + method;
        }

        public static Object finish(Object token, Object returned, Throwable thrown) {
            CALLS.add(Arrays.asList("finish", token, returned, thrown));
            return returned instanceof Long ? (Long) returned + 1000 : returned;
        }

        public static Object noToken(Object self) {
            return null;
        }

        public static void replaceFirst(Object[] arguments) {
            arguments[0] = 21;
        }

        public static void note(Object first, Object second, Object third) {
            CALLS.add(Arrays.asList("note", first, second, third));
        }

        public static void boom(Object any) {
            CALLS.add(Arrays.asList("boom", any));
            throw new IllegalStateException("a hook failed");
        }
    }

    private final List<String> failures = new ArrayList<>();

    @BeforeEach
    void clear() {
        Hooks.CALLS.clear();
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    private AdviceWeaver weaver() {
        return new AdviceWeaver((type, failure) -> failures.add(type + ": " + failure));
    }

    private Class<?> woven(AdviceWeaver weaver) throws Exception {
        return woven(weaver, Subject.class.getClassLoader());
    }

    private Class<?> woven(AdviceWeaver weaver, ClassLoader loader) throws Exception {
        byte[] woven = weaver.transform(null, loader, Subject.class.getName().replace('.', '/'), null, null,
                classFile(Subject.class));
        assertEquals(List.of(), failures);
        assertNotNull(woven);
        ClassLoader own = new ClassLoader(Subject.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Subject.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> defined = findLoadedClass(name);
                        return defined != null ? defined : defineClass(name, woven, 0, woven.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return own.loadClass(Subject.class.getName());
    }

    private static Object call(Object target, String method, Object... arguments) throws Exception {
        Class<?> type = target instanceof Class ? (Class<?>) target : target.getClass();
        for (java.lang.reflect.Method candidate : type.getMethods()) {
            if (candidate.getName().equals(method)) {
                try {
                    return candidate.invoke(target instanceof Class ? null : target, arguments);
                } catch (InvocationTargetException e) {
                    throw (Exception) e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + method);
    }

    private static final Advice TOKEN = Advice.onEnter(Hooks.class, "token", METHOD_NAME, THIS, argument(0))
            .andOnExit(Hooks.class, "finish", ENTERED, RETURNED, THROWN).alsoOnThrowable().replacingReturn();

    @Test
    void primitivesAreBoxedForHooksAndAReplacedPrimitiveReturnIsUnboxed() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("sum"), TOKEN);
        Object subject = woven(weaver).getConstructor().newInstance();

        // 10 + (long) 0.0 + (long) 1.5 + (long) 3.0 = 14; the hook adds 1000
        assertEquals(1014L, call(subject, "sum", 3, 10L, 1.5));

        assertEquals(Arrays.asList("token", "sum", subject, 3), Hooks.CALLS.get(0));
        assertEquals(Arrays.asList("finish", "token:sum", 14L, null), Hooks.CALLS.get(1));
    }

    @Test
    void argumentsWrittenBackBecomeTheMethodsParameters() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("twice"),
                Advice.onEnter(Hooks.class, "replaceFirst", ALL_ARGUMENTS).writingArgumentsBack());
        Object subject = woven(weaver).getConstructor().newInstance();

        assertEquals(42, call(subject, "twice", 5));
    }

    @Test
    void aFailingHookIsSeenNeitherByTheCallerNorByTheMethodsOwnCatchBlocks() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("guarded"),
                Advice.onEnter(Hooks.class, "boom", argument(0)).andOnExit(Hooks.class, "boom", RETURNED));
        Object subject = woven(weaver).getConstructor().newInstance();

        // the exit hook runs at the return inside the method's try block, and throws there
        assertEquals("a", call(subject, "guarded", " a "));
        assertEquals(List.of(List.of("boom", " a "), List.of("boom", "a")), Hooks.CALLS);

        // the method's own exception still reaches its own catch block
        Hooks.CALLS.clear();
        assertEquals("caught NullPointerException", call(subject, "guarded", (Object) null));
        assertEquals(2, Hooks.CALLS.size());
    }

    /**
     * A class whose {@code catch} range covers its {@code return} itself (javac ends the range just
     * before it, other compilers need not): {@code guarded(text)} returns {@code text.trim()},
     * or "caught" when a {@code RuntimeException} is thrown in the range.
     */
    private static byte[] returnInsideTryRange() {
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(
                org.objectweb.asm.ClassWriter.COMPUTE_FRAMES);
        writer.visit(org.objectweb.asm.Opcodes.V11, org.objectweb.asm.Opcodes.ACC_PUBLIC, "woven/Crafted", null,
                "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor init = writer.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC, "<init>", "()V",
                null, null);
        init.visitCode();
        init.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        init.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(org.objectweb.asm.Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        org.objectweb.asm.MethodVisitor method = writer.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC, "guarded",
                "(Ljava/lang/String;)Ljava/lang/String;", null, null);
        org.objectweb.asm.Label start = new org.objectweb.asm.Label();
        org.objectweb.asm.Label end = new org.objectweb.asm.Label();
        method.visitCode();
        method.visitTryCatchBlock(start, end, end, "java/lang/RuntimeException");
        method.visitLabel(start);
        method.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 1);
        method.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKEVIRTUAL, "java/lang/String", "trim",
                "()Ljava/lang/String;", false);
        method.visitInsn(org.objectweb.asm.Opcodes.ARETURN);
        method.visitLabel(end);
        method.visitInsn(org.objectweb.asm.Opcodes.POP);
        method.visitLdcInsn("caught");
        method.visitInsn(org.objectweb.asm.Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A hand-built class with {@code method} woven to call a failing exit hook, defined in a loader of its own. */
    private Class<?> wovenWithFailingExitHook(String className, String method, byte[] classFile) throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(className)).advise(named(method), Advice.onExit(Hooks.class, "boom", RETURNED));
        byte[] woven = weaver.transform(null, getClass().getClassLoader(), className.replace('.', '/'), null, null,
                classFile);
        assertEquals(List.of(), failures);
        return new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(className, woven, 0, woven.length);
            }
        }.define();
    }

    @Test
    void aFailingExitHookAtAReturnInsideACatchRangeIsNotCaughtByThatCatch() throws Exception {
        Class<?> crafted = wovenWithFailingExitHook("woven.Crafted", "guarded", returnInsideTryRange());

        assertEquals("a", call(crafted.getConstructor().newInstance(), "guarded", " a "));
        assertEquals(List.of(List.of("boom", "a")), Hooks.CALLS);
    }

    @Test
    void aLocalThatChangesTypeInsideACatchRangeStillVerifies() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("reuse"), TOKEN);
        Object subject = woven(weaver).getConstructor().newInstance();

        // 5 + "a5".length() = 7; + 14 = 21; + "b21".length() = 24. The catch's frame must not
        // claim the slot holds an object throughout.
        assertEquals(24, call(subject, "reuse", 5));
        assertEquals(Arrays.asList("finish", "token:reuse", 24, null), Hooks.CALLS.get(1));
    }

    /** {@code extra(text)}: returns {@code text} with an int and a long left below it on the stack. */
    private static byte[] valuesBelowTheReturnedOne() {
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(
                org.objectweb.asm.ClassWriter.COMPUTE_FRAMES);
        writer.visit(org.objectweb.asm.Opcodes.V11, org.objectweb.asm.Opcodes.ACC_PUBLIC, "woven/Crowded", null,
                "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor method = writer.visitMethod(
                org.objectweb.asm.Opcodes.ACC_PUBLIC | org.objectweb.asm.Opcodes.ACC_STATIC, "extra",
                "(Ljava/lang/String;)Ljava/lang/String;", null, null);
        method.visitCode();
        method.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
        method.visitInsn(org.objectweb.asm.Opcodes.LCONST_0);
        method.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        method.visitInsn(org.objectweb.asm.Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void aReturnWithValuesBelowTheReturnedOneStillVerifies() throws Exception {
        Class<?> crowded = wovenWithFailingExitHook("woven.Crowded", "extra", valuesBelowTheReturnedOne());

        // the hook throws: its handler's path and the normal one meet with the same, empty, stack
        assertEquals("kept", call(crowded, "extra", "kept"));
        assertEquals(List.of(List.of("boom", "kept")), Hooks.CALLS);
    }

    @Test
    void theExitHookSeesWhatTheMethodThrewAndTheCallerStillGetsIt() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("fail"), TOKEN);
        Object subject = woven(weaver).getConstructor().newInstance();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> call(subject, "fail", "why"));

        assertEquals("why", thrown.getMessage());
        assertEquals(Arrays.asList("finish", "token:fail", null, thrown), Hooks.CALLS.get(1));
    }

    @Test
    void constructorsGetExitAdviceOnceTheirBodyHasRun() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(isConstructor(),
                Advice.onExit(Hooks.class, "note", constant("constructed"), THIS, NULL));
        Object subject = woven(weaver).getConstructor().newInstance();

        // the no-argument constructor calls the other: both end
        assertEquals(2, Hooks.CALLS.size());
        for (List<Object> call : Hooks.CALLS) {
            assertEquals("constructed", call.get(1));
            assertSame(subject, call.get(2));
        }
        assertEquals("plain", call(subject, "tag"));
    }

    @Test
    void enterAdviceOnAConstructorIsRefusedAndTheClassLoadsUnchanged() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(isConstructor(),
                Advice.onEnter(Hooks.class, "note", THIS, NULL, NULL));

        assertNull(weaver.transform(null, Subject.class.getClassLoader(), Subject.class.getName().replace('.', '/'),
                null, null, classFile(Subject.class)));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("a constructor takes exit advice only"), failures.get(0));
    }

    @Test
    void aStaticMethodHasNoReceiverAndHooksSeeItsClassAndName() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("pick"),
                Advice.onEnter(Hooks.class, "note", THIS, DECLARING_CLASS, METHOD_NAME));
        Class<?> type = woven(weaver);

        // the two branches meet with a Left and a Right: the frame there needs their common class
        assertEquals("left", call(type, "pick", true));
        assertEquals("right", call(type, "pick", false));
        assertEquals(Arrays.asList("note", null, type, "pick"), Hooks.CALLS.get(0));
    }

    @Test
    void fieldsOfTheReceiverAndOfTheClassAreRead() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("tag"),
                Advice.onEnter(Hooks.class, "note", field("tag"), field("label"), NULL));
        Object subject = woven(weaver).getConstructor(String.class).newInstance("mine");

        assertEquals("mine", call(subject, "tag"));
        assertEquals(Arrays.asList("note", "mine", "static label", null), Hooks.CALLS.get(0));
    }

    @Test
    void theExitHookIsSkippedWhenTheEnterHookReturnedNull() throws Exception {
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("nothing"),
                Advice.onEnter(Hooks.class, "noToken", THIS).andOnExit(Hooks.class, "finish", ENTERED, RETURNED, THROWN)
                        .exitOnlyWhenEntered());
        Object subject = woven(weaver).getConstructor().newInstance();

        call(subject, "nothing");
        assertEquals(List.of(), Hooks.CALLS);
    }

    @Test
    void aTypeWhoseClassFileCannotBeFoundStopsTheWeavingOfTheClass() throws Exception {
        // A loader that cannot show Left's class file: pick's frame cannot be computed without it.
        ClassLoader hiding = new ClassLoader(Subject.class.getClassLoader()) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return name.endsWith("MethodWeavingTest$Left.class") ? null : super.getResourceAsStream(name);
            }
        };
        AdviceWeaver weaver = weaver();
        weaver.forTypes(named(Subject.class.getName())).advise(named("pick"),
                Advice.onEnter(Hooks.class, "note", THIS, NULL, NULL));

        assertNull(weaver.transform(null, hiding, Subject.class.getName().replace('.', '/'), null, null,
                classFile(Subject.class)));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("MethodWeavingTest$Left"), failures.get(0));
    }

    @Test
    void adviceThatCannotWorkIsRefusedWhenDeclared() {
        assertThrows(IllegalArgumentException.class, () -> Advice.onEnter(Hooks.class, "noSuchHook", THIS));
        assertThrows(IllegalArgumentException.class, () -> Advice.onEnter(Hooks.class, "note", THIS, THIS));
        assertThrows(IllegalArgumentException.class, () -> Advice.onExit(Hooks.class, "noToken", ENTERED));
        assertThrows(IllegalArgumentException.class, () -> Advice.onEnter(Hooks.class, "noToken", RETURNED));
        assertThrows(IllegalArgumentException.class,
                () -> Advice.onEnter(Hooks.class, "note", THIS, NULL, NULL).andOnExit(Hooks.class, "note", THIS,
                        NULL, NULL).replacingReturn());
        assertThrows(IllegalArgumentException.class,
                () -> Advice.onEnter(Hooks.class, "note", THIS, NULL, NULL).writingArgumentsBack());
        assertThrows(IllegalArgumentException.class,
                () -> Advice.onEnter(Hooks.class, "noToken", THIS).exitOnlyWhenEntered());
    }
}
