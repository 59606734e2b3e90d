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
    private static Instrumentation installedOn;

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
        }
        if (installedOn != instrumentation) {
            instrumentation.addTransformer(BY_NAME, true);
            installedOn = instrumentation;
        }
    }

    /** The loaded classes (of any loader) with one of these names. */
    public static List<Class<?>> loaded(Instrumentation instrumentation, Collection<String> classNames) {
        Set<String> names = new HashSet<>(classNames);
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (names.contains(type.getName())) {
                found.add(type);
            }
        }
        return found;
    }

    /**
     * Retransforms these loaded classes through the transformers registered, each on its own: one
     * the JVM refuses is logged once and leaves the others changed.
     */
    public static void retransform(Instrumentation instrumentation, Collection<Class<?>> classes, String what) {
        for (Class<?> type : classes) {
            if (!instrumentation.isModifiableClass(type)) {
                AgentLog.warnOnce("retransform:" + type.getName(), what + " through " + type.getName()
                        + " is not available: the JVM does not allow changing that class");
                continue;
            }
            try {
                instrumentation.retransformClasses(type);
            } catch (Exception | LinkageError e) {
                AgentLog.warnOnce("retransform:" + type.getName(), what + " through " + type.getName()
                        + " is not available: " + e);
            }
        }
    }
}
