package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.ClassDefinitions;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the JVM's class-file hook off while no class the agent changes is being defined.
 *
 * <p>While an agent has a transformer registered, the JVM copies every class file it loads into a
 * new byte array (and its name into a new string) to show it to the agent, whatever the agent then
 * does with it: for an application with one SDK, thousands of classes and about 15 MB of
 * allocation the agent never uses. So the agent's transformers are registered behind this one
 * dispatcher, and once start-up is over, the dispatcher stays registered with the JVM only while a
 * class loader defines a class that a transformer wants by name: advice on
 * {@code ClassLoader.defineClass} asks {@link #defining} before the JVM parses the class.
 *
 * <p>Classes that reach the JVM by other paths are covered as follows. The JDK's own classes that
 * the boot loader defines without Java code are loaded and changed at start-up, while the hook is
 * still on (see {@link NamedClasses#loadJdkClasses}). Classes loaded from a class-data archive
 * (application CDS, an AOT cache) skip {@code defineClass}: with such an archive the hook stays on.
 * It also stays on when another agent shares the JVM (a retransformation it asks for while the
 * hook is off would drop this agent's changes) and when an interest wants every class of a loader
 * (an application's own handler types).
 */
public final class ClassLoadGate implements ClassFileTransformer {

    /** What a transformer wants to see of a class a loader is about to define. */
    public enum Want {
        NOTHING,
        THIS_CLASS,
        /** Every class of the loader (types of any name, such as an application's handlers). */
        EVERY_CLASS
    }

    /** A transformer's interest, by the class's binary name and defining loader only. */
    public interface Interest {
        Want wants(ClassLoader loader, String binaryName);
    }

    private static final class Registered {
        final ClassFileTransformer transformer;
        final Interest interest;

        Registered(ClassFileTransformer transformer, Interest interest) {
            this.transformer = transformer;
            this.interest = interest;
        }
    }

    /** How long the installer waits after closing before it looks for classes defined meanwhile. */
    private static final long SETTLE_MILLIS = 200;

    private static final String AGENT_PACKAGE = "dev.voicetrace.";
    private static final ClassLoadGate DISPATCHER = new ClassLoadGate();
    private static final Object LOCK = new Object();
    /** Replaced, never changed in place: read on every class definition without a lock or an iterator. */
    private static volatile Registered[] registered = new Registered[0];
    /** The JVM the dispatcher belongs to (tests give each a fake). */
    private static Instrumentation instrumentation;
    /** Whether the dispatcher is registered with the JVM now. */
    private static boolean hooked;
    /** Until start-up is over, or for good when the gate cannot be relied on: the hook stays on. */
    private static boolean keptOn = true;
    /** Definitions of wanted classes under way. */
    private static int defining;
    private static final Object TOKEN = new Object();
    /** While the gate closes: the classes (internal names) the dispatcher has been shown since. */
    private static volatile boolean recording;
    private static final java.util.Set<String> SHOWN_SINCE_CLOSED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final ClassDefinitions.Gate GATE = new ClassDefinitions.Gate() {
        @Override
        public Object defining(ClassLoader loader, String name) {
            return ClassLoadGate.defining(loader, name);
        }

        @Override
        public void defined(Object token) {
            ClassLoadGate.defined();
        }
    };

    private ClassLoadGate() {}

    /**
     * Registers {@code transformer} (as able to retransform) behind the dispatcher: it sees every
     * class while the hook is on, and the classes {@code interest} wants once the gate is closed.
     */
    public static void add(Instrumentation jvm, ClassFileTransformer transformer, Interest interest) {
        synchronized (LOCK) {
            if (instrumentation != jvm) {
                // A new JVM (a test's fake): the dispatcher starts over on it.
                registered = new Registered[0];
                instrumentation = jvm;
                hooked = false;
                keptOn = true;
                defining = 0;
            }
            Registered[] grown = java.util.Arrays.copyOf(registered, registered.length + 1);
            grown[grown.length - 1] = new Registered(transformer, interest);
            registered = grown;
            hook();
        }
    }

    /**
     * Runs {@code work} (a retransformation) with the hook on: a retransformed class goes through
     * the registered transformers only while they are registered.
     */
    public static void withHookOn(Runnable work) {
        synchronized (LOCK) {
            defining++;
            hook();
        }
        try {
            work.run();
        } finally {
            defined();
        }
    }

    /**
     * Ends start-up: loads the JDK classes the transformers want (the boot loader defines them
     * without {@code defineClass}), weaves the gate into {@code ClassLoader.defineClass}, checks
     * that it is in use, and takes the hook off. A definition already inside {@code defineClass}'s
     * earlier code when it was woven reaches the JVM with the hook off: after a pause, the classes
     * defined since the hook came off that a transformer wants but was never shown are
     * retransformed. Leaves the hook on, and says why in the debug log, when the gate cannot be
     * relied on.
     */
    public static void closeAfterStartUp(Instrumentation jvm) {
        String keepOn = reasonToKeepHookOn(jvm);
        if (keepOn != null) {
            AgentLog.debug("the class-file hook stays on: " + keepOn);
            return;
        }
        NamedClasses.loadJdkClasses();
        ClassDefinitions.install(GATE);
        // The gate's own first call loads the classes it uses, before any definition can ask.
        if (defining(null, "voicetrace.GateWarmUp") != null) {
            defined();
        }
        String[] failed = new String[1];
        AdviceWeaver weaver = new AdviceWeaver((typeName, failure) -> failed[0] = typeName + ": " + failure)
                .withReadEdgeTo(jvm, ClassDefinitions.class);
        weaver.forTypes(named("java.lang.ClassLoader"))
                .advise(named("defineClass").and(takesArgument(0, String.class))
                        .and(takesArguments(5).and(takesArgument(1, byte[].class))
                                .or(takesArguments(3).and(takesArgument(1, java.nio.ByteBuffer.class)))),
                        DEFINE_CLASS);
        NamedClasses.register(jvm, weaver, Collections.singleton(ClassLoader.class.getName()));
        NamedClasses.retransform(jvm, Collections.singleton(ClassLoader.class), "the class-file gate");
        if (failed[0] != null || !definesThroughAdvice()) {
            AgentLog.debug("the class-file hook stays on: ClassLoader.defineClass could not be woven ("
                    + (failed[0] != null ? failed[0] : "its advice did not run") + ")");
            return;
        }
        close(jvm, SETTLE_MILLIS);
    }

    /**
     * Takes the hook off; after {@code settleMillis}, retransforms the classes defined meanwhile
     * that a transformer wants and was never shown.
     */
    static void close(Instrumentation jvm, long settleMillis) {
        SHOWN_SINCE_CLOSED.clear();
        recording = true;
        java.util.Set<Class<?>> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Class<?> type : LoadedClasses.all(jvm)) {
            before.add(type);
        }
        synchronized (LOCK) {
            keptOn = false;
            if (defining == 0) {
                unhook();
            }
        }
        AgentLog.debug("the class-file hook is on only while a class the agent changes is defined");
        try {
            Thread.sleep(settleMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retransformMissed(jvm, before);
        recording = false;
        SHOWN_SINCE_CLOSED.clear();
    }

    /** Classes defined since {@code before} was listed that a transformer wants and was never shown. */
    private static void retransformMissed(Instrumentation jvm, java.util.Set<Class<?>> before) {
        List<Class<?>> missed = new java.util.ArrayList<>();
        for (Class<?> type : LoadedClasses.all(jvm)) {
            if (!before.contains(type) && type.getName().indexOf('/') < 0 && jvm.isModifiableClass(type)
                    && wanted(type.getClassLoader(), type.getName())
                    && !SHOWN_SINCE_CLOSED.contains(type.getName().replace('.', '/'))) {
                missed.add(type);
            }
        }
        if (!missed.isEmpty()) {
            AgentLog.debug("the class-file gate: " + missed + " were defined as it closed");
            NamedClasses.retransform(jvm, missed, "instrumentation");
        }
    }

    /** Whether some transformer wants this class (never one of the agent's own). */
    private static boolean wanted(ClassLoader loader, String name) {
        if (name.startsWith(AGENT_PACKAGE)) {
            return false;
        }
        for (Registered each : registered) {
            if (each.interest.wants(loader, name) != Want.NOTHING) {
                return true;
            }
        }
        return false;
    }

    /** The advice: each definition asks the gate first, and ends what it opened, thrown or not. */
    private static final Advice DEFINE_CLASS = Advice.onEnter(ClassDefinitions.class, "defining", THIS, argument(0))
            .andOnExit(ClassDefinitions.class, "defined", ENTERED).alsoOnThrowable().exitOnlyWhenEntered();

    /** Defines a class through a new loader: the woven {@code defineClass} must call the gate. */
    private static boolean definesThroughAdvice() {
        if (ClassDefinitions.adviceSeen()) {
            return true;
        }
        try (java.io.InputStream in = ClassLoadGate.class.getResourceAsStream("ClassLoadGate$Probe.class")) {
            byte[] bytes = in.readAllBytes();
            new ProbeLoader().define(Probe.class.getName(), bytes);
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            return false;
        }
        return ClassDefinitions.adviceSeen();
    }

    /** Defined once more, by {@link ProbeLoader}, to see the advice run. */
    static final class Probe {
    }

    private static final class ProbeLoader extends ClassLoader {
        ProbeLoader() {
            super(null);
        }

        void define(String name, byte[] bytes) {
            defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** Null when the gate can be closed, else why the hook stays on. */
    private static String reasonToKeepHookOn(Instrumentation jvm) {
        String[] arguments = JvmArguments.read(jvm);
        if (arguments == null) {
            return "the JVM's arguments could not be read";
        }
        String archive = JvmArguments.archiveOption(arguments);
        if (archive != null) {
            // Such classes are defined without defineClass: only the hook sees them.
            return "the JVM may load classes from an archive (" + archive + ")";
        }
        String agent = JvmArguments.otherAgent(arguments, ownJar());
        if (agent != null) {
            // Another agent may retransform a class later: with the hook off then, the JVM would
            // rebuild that class without this agent's changes.
            return "another agent shares the JVM (" + agent + ")";
        }
        return null;
    }

    /** The agent's own jar, or null when it cannot be told. */
    private static String ownJar() {
        try {
            return java.nio.file.Paths.get(ClassLoadGate.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    static Object defining(ClassLoader loader, String name) {
        if (name == null || name.startsWith(AGENT_PACKAGE)) {
            return null;
        }
        boolean wanted = false;
        for (Registered each : registered) {
            Want want = each.interest.wants(loader, name);
            if (want == Want.EVERY_CLASS) {
                keepOn("every class of " + loader + " is wanted (" + name + ")");
                return null;
            }
            wanted |= want == Want.THIS_CLASS;
        }
        if (!wanted) {
            return null;
        }
        synchronized (LOCK) {
            defining++;
            hook();
        }
        return TOKEN;
    }

    static void defined() {
        synchronized (LOCK) {
            defining--;
            if (defining == 0 && !keptOn) {
                unhook();
            }
        }
    }

    private static void keepOn(String why) {
        synchronized (LOCK) {
            if (keptOn) {
                return;
            }
            keptOn = true;
            hook();
        }
        AgentLog.debug("the class-file hook is on again for good: " + why);
    }

    private static void hook() {
        if (!hooked && instrumentation != null) {
            instrumentation.addTransformer(DISPATCHER, true);
            hooked = true;
        }
    }

    private static void unhook() {
        if (hooked) {
            instrumentation.removeTransformer(DISPATCHER);
            hooked = false;
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        try {
            return transformByAll(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        } finally {
            // Noted once shown to every transformer: a class whose transformation began before the
            // gate started closing (a library built on its first class) and ended after is noted.
            if (recording && className != null) {
                SHOWN_SINCE_CLOSED.add(className);
            }
        }
    }

    private static byte[] transformByAll(Module module, ClassLoader loader, String className,
                                         Class<?> classBeingRedefined, ProtectionDomain protectionDomain,
                                         byte[] classfileBuffer) {
        byte[] current = classfileBuffer;
        boolean changed = false;
        for (Registered each : registered) {
            try {
                byte[] result = each.transformer.transform(module, loader, className, classBeingRedefined,
                        protectionDomain, current);
                if (result != null) {
                    current = result;
                    changed = true;
                }
            } catch (Throwable t) {
                // As the JVM does with a transformer that throws: its change is dropped, the others stay.
                AgentLog.warnOnce("transform:" + className, "could not instrument " + className + ": " + t);
            }
        }
        return changed ? current : null;
    }
}
