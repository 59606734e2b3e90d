package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Installs a weaver that changes a few classes known by name (the JDK's thread pools, its HTTP
 * client, servlet and gRPC entry points) behind a filter of those names.
 *
 * <p>Shown every class the JVM loads, a weaver would parse each class file into a type description
 * before its rules could say no: thousands of parses, and the allocation and compilation they
 * bring, for the few classes it changes. Here the JVM's transformer compares the class name with a
 * set and hands only those classes to the weaver.
 */
public final class NamedClasses {

    private NamedClasses() {}

    /** The weavers of each class name (internal form), in the order they were registered. */
    private static final Map<String, List<ClassFileTransformer>> WEAVERS = new ConcurrentHashMap<>();
    /** The same names in binary form, for {@link ClassLoadGate}, which asks before a class is defined. */
    private static final Set<String> BINARY_NAMES = ConcurrentHashMap.newKeySet();
    private static Instrumentation installedOn;
    /**
     * The registered names the transformer has been shown, by defining loader (null: the boot
     * loader), whether the class was loading or being retransformed.
     */
    private static final Map<ClassLoader, Set<String>> SHOWN = new java.util.WeakHashMap<>();

    /**
     * One transformer for every name registered: the JVM calls each transformer for every class it
     * loads, so the names share one set lookup however many weavers there are.
     */
    private static final ClassFileTransformer BY_NAME = new ClassFileTransformer() {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer)
                throws java.lang.instrument.IllegalClassFormatException {
            List<ClassFileTransformer> weavers = className == null ? null : WEAVERS.get(className);
            if (weavers == null) {
                return null;
            }
            synchronized (SHOWN) {
                SHOWN.computeIfAbsent(loader, key -> new HashSet<>()).add(className);
            }
            byte[] current = classfileBuffer;
            boolean changed = false;
            for (ClassFileTransformer weaver : weavers) {
                byte[] woven = weaver.transform(module, loader, className, classBeingRedefined, protectionDomain,
                        current);
                if (woven != null) {
                    current = woven;
                    changed = true;
                }
            }
            return changed ? current : null;
        }
    };

    /**
     * Registers {@code weaver} for the classes named (binary names, e.g. {@code java.lang.Thread}),
     * for classes loaded from now on and for retransformation. The weaver's own rules still decide
     * what changes.
     */
    public static synchronized void register(Instrumentation instrumentation, ClassFileTransformer weaver,
                                             Collection<String> classNames) {
        for (String name : classNames) {
            WEAVERS.computeIfAbsent(name.replace('.', '/'), key -> new CopyOnWriteArrayList<>()).add(weaver);
            BINARY_NAMES.add(name);
        }
        if (installedOn != instrumentation) {
            ClassLoadGate.add(instrumentation, BY_NAME,
                    (loader, name) -> BINARY_NAMES.contains(name) ? ClassLoadGate.Want.THIS_CLASS : ClassLoadGate.Want.NOTHING);
            installedOn = instrumentation;
        }
    }

    /**
     * Loads the registered JDK classes that the boot loader has not loaded yet ({@code VirtualThread}
     * before the first virtual thread, say), without initialising them, so that they are changed
     * now: the boot loader defines classes without {@code ClassLoader.defineClass}, so
     * {@link ClassLoadGate} would not see them later. Names no JDK module of the boot loader has
     * (another JDK version's, the platform loader's) are skipped.
     */
    static void loadJdkClasses() {
        for (String name : BINARY_NAMES) {
            if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
                try {
                    Class.forName(name, false, null);
                } catch (ClassNotFoundException | LinkageError e) {
                    // not the boot loader's, or not in this JDK
                }
            }
        }
    }

    /** The loaded classes (of any loader) with one of these names. */
    public static List<Class<?>> loaded(Instrumentation instrumentation, Collection<String> classNames) {
        Set<String> names = new HashSet<>(classNames);
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> type : LoadedClasses.all(instrumentation)) {
            if (names.contains(type.getName())) {
                found.add(type);
            }
        }
        return found;
    }

    /**
     * Retransforms every loaded class with a registered name that the transformer has never been
     * shown. The JVM calls transformers early in loading a class, and lists the class among the
     * loaded ones only once it is defined: a class whose loading began (on another thread) just
     * before its name was registered is in neither and would otherwise keep its original code.
     * Called when start-up work that registered names is over; such a loading is over by then too.
     *
     * @return how many classes were retransformed
     */
    public static int retransformMissed(Instrumentation instrumentation, String what) {
        if (WEAVERS.isEmpty()) {
            return 0;
        }
        List<Class<?>> missed = new ArrayList<>();
        for (Class<?> type : LoadedClasses.all(instrumentation)) {
            String internalName = type.getName().replace('.', '/');
            if (WEAVERS.containsKey(internalName) && !wasShown(type.getClassLoader(), internalName)) {
                missed.add(type);
            }
        }
        if (!missed.isEmpty()) {
            AgentLog.debug(what + ": " + missed + " loaded while their transformer was being registered");
            retransform(instrumentation, missed, what);
        }
        return missed.size();
    }

    private static boolean wasShown(ClassLoader loader, String internalName) {
        synchronized (SHOWN) {
            Set<String> names = SHOWN.get(loader);
            return names != null && names.contains(internalName);
        }
    }

    /**
     * Retransforms these loaded classes through the transformers registered, all in one operation
     * of the JVM: a class and its subclass are replaced together (one changed after the other, a
     * subclass's override of a package-private method was seen to lose its advice on JDK 25), and
     * the compiled code depending on them is thrown away once. Should the JVM refuse the set, each
     * class is tried on its own: one refused is logged once and leaves the others changed.
     */
    public static void retransform(Instrumentation instrumentation, Collection<Class<?>> classes, String what) {
        List<Class<?>> modifiable = new ArrayList<>(classes.size());
        for (Class<?> type : classes) {
            if (instrumentation.isModifiableClass(type)) {
                modifiable.add(type);
            } else {
                AgentLog.warnOnce("retransform:" + type.getName(), what + " through " + type.getName()
                        + " is not available: the JVM does not allow changing that class");
            }
        }
        if (modifiable.isEmpty()) {
            return;
        }
        ClassLoadGate.withHookOn(() -> retransformModifiable(instrumentation, modifiable, what));
    }

    private static void retransformModifiable(Instrumentation instrumentation, List<Class<?>> modifiable, String what) {
        if (modifiable.size() > 1) {
            try {
                instrumentation.retransformClasses(modifiable.toArray(new Class<?>[0]));
                return;
            } catch (Exception | LinkageError e) {
                AgentLog.debug(what + ": the JVM refused to retransform " + modifiable + " together (" + e
                        + "); trying each on its own");
            }
        }
        for (Class<?> type : modifiable) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Exception | LinkageError e) {
                AgentLog.warnOnce("retransform:" + type.getName(), what + " through " + type.getName()
                        + " is not available: " + e);
            }
        }
    }
}
