package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installs a client library's transformations only when the application loads the library's first
 * class. The JVM is given one plain transformer that looks only at class names: until a class whose
 * name starts with one of a library's prefixes appears, nothing of Byte Buddy is loaded or built
 * for that library, and every other class costs a few string comparisons. The library's Byte Buddy
 * transformer is then built once and sees that class and every later class under its prefixes.
 *
 * <p>A library's first class does not wait for the agent's other start-up work (context
 * propagation into the JDK's classes, on the installer thread): both run side by side, and the
 * application's first traced call waits for that work instead (see {@code StartUpGate}).
 *
 * <p>Only for an agent started with the JVM: a late-attached agent must retransform classes that
 * are already loaded, which {@link Instrumenter#install} does.
 */
public final class LazyInstallation implements ClassFileTransformer {

    private static final String AGENT_PACKAGE = "dev/voicetrace/";

    private final List<Library> libraries = new ArrayList<>();
    /** Exact class names (in the JVM's internal form) whose loading someone wants to hear of. */
    private final Map<String, Runnable> watchedClasses = new ConcurrentHashMap<>();

    /**
     * Adds a library: its modules are installed when the first class whose name (dotted, e.g.
     * {@code com.openai.}) starts with one of {@code classNamePrefixes} is loaded. The prefixes
     * must cover every type the modules' {@link InstrumentationModule#typeNameFilter()} accepts.
     */
    public LazyInstallation add(String name, String[] classNamePrefixes, List<InstrumentationModule> modules) {
        if (!modules.isEmpty()) {
            libraries.add(new Library(name, classNamePrefixes, modules));
        }
        return this;
    }

    /** Every class-name prefix of {@code modules}, each once. */
    public static String[] prefixesOf(List<InstrumentationModule> modules) {
        java.util.Set<String> prefixes = new java.util.LinkedHashSet<>();
        for (InstrumentationModule module : modules) {
            java.util.Collections.addAll(prefixes, module.classNamePrefixes());
        }
        return prefixes.toArray(new String[0]);
    }

    /** Runs {@code action} (once, cheaply) when the class named {@code className} starts loading. */
    public LazyInstallation onLoad(String className, Runnable action) {
        watchedClasses.put(className.replace('.', '/'), action);
        return this;
    }

    public void installOn(Instrumentation instrumentation) {
        instrumentation.addTransformer(this, false);
    }

    /** Whether the named library's transformations have been built (for tests and the debug log). */
    boolean installed(String name) {
        for (Library library : libraries) {
            if (library.name.equals(name)) {
                return library.transformer != null;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // The agent's own classes (its shaded libraries included) are never a library's, whatever
        // loader defines them.
        if (className == null || className.startsWith(AGENT_PACKAGE)) {
            return null;
        }
        try {
            if (!watchedClasses.isEmpty()) {
                Runnable action = watchedClasses.remove(className);
                if (action != null) {
                    action.run();
                }
            }
            byte[] current = classfileBuffer;
            boolean changed = false;
            for (int i = 0; i < libraries.size(); i++) {
                Library library = libraries.get(i);
                if (!library.covers(className, loader)) {
                    continue;
                }
                ClassFileTransformer transformer = library.transformer(className);
                if (transformer == null) {
                    continue;
                }
                byte[] result = transformer.transform(module, loader, className, classBeingRedefined,
                        protectionDomain, current);
                if (result != null) {
                    current = result;
                    changed = true;
                }
            }
            return changed ? current : null;
        } catch (Throwable t) {
            // The class loads unchanged: the application always wins.
            AgentLog.warnOnce("lazy-install:" + className, "could not instrument " + className + ": " + t);
            return null;
        }
    }

    private static final class Library {
        final String name;
        final String[] internalPrefixes;
        final List<InstrumentationModule> modules;
        volatile ClassFileTransformer transformer;
        private boolean failed;

        Library(String name, String[] classNamePrefixes, List<InstrumentationModule> modules) {
            this.name = name;
            this.internalPrefixes = Arrays.stream(classNamePrefixes).map(prefix -> prefix.replace('.', '/'))
                    .toArray(String[]::new);
            this.modules = new ArrayList<>(modules);
        }

        /**
         * Whether the class is the library's: under one of its prefixes, or, for a library whose
         * types can have any name (the application's own endpoints of an API), defined by a
         * loader that can see the library.
         */
        boolean covers(String internalName, ClassLoader loader) {
            if (internalPrefixes.length == 0) {
                for (InstrumentationModule module : modules) {
                    if (module.appliesTo(loader)) {
                        return true;
                    }
                }
                return false;
            }
            for (String prefix : internalPrefixes) {
                if (internalName.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        ClassFileTransformer transformer(String firstClass) {
            ClassFileTransformer built = transformer;
            if (built != null) {
                return built;
            }
            synchronized (this) {
                if (transformer == null && !failed) {
                    long started = System.nanoTime();
                    try {
                        transformer = Instrumenter.builderFor(modules, false, null).makeRaw();
                        AgentLog.debug("instrumentation for " + name + " installed on loading " + firstClass + " in "
                                + (System.nanoTime() - started) / 1_000_000 + " ms");
                    } catch (RuntimeException | LinkageError e) {
                        failed = true;
                        AgentLog.warn("instrumentation for " + name + " is not available; it runs untraced", e);
                    }
                }
                return transformer;
            }
        }
    }
}
