package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Installs a Byte Buddy agent builder that changes a few classes known by name (the JDK's thread
 * pools, its HTTP client, servlet and gRPC entry points) behind a filter of those names.
 *
 * <p>Installed the usual way, an agent builder's transformer is shown every class the JVM loads
 * from then on, and for each it parses the class file into a type description before its matchers
 * can say no: thousands of parses, and the allocation and compilation they bring, for the few
 * classes it changes. Here the JVM's transformer compares the class name with a set and hands only
 * those classes to Byte Buddy.
 */
public final class NamedClasses {

    private NamedClasses() {}

    /**
     * Registers {@code builder}'s transformations for the classes named (binary names, e.g.
     * {@code java.lang.Thread}), for classes loaded from now on and for retransformation. The
     * builder's own matchers still decide what changes.
     */
    public static void register(Instrumentation instrumentation, AgentBuilder builder, Collection<String> classNames) {
        Set<String> internalNames = new HashSet<>();
        for (String name : classNames) {
            internalNames.add(name.replace('.', '/'));
        }
        ClassFileTransformer transformer = builder.makeRaw();
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain protectionDomain, byte[] classfileBuffer)
                    throws java.lang.instrument.IllegalClassFormatException {
                if (className == null || !internalNames.contains(className)) {
                    return null;
                }
                return transformer.transform(module, loader, className, classBeingRedefined, protectionDomain,
                        classfileBuffer);
            }
        }, true);
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
