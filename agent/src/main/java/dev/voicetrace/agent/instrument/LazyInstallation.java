package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Installs a client library's transformations only when the application loads the library's first
 * class. The JVM is given one plain transformer that looks only at class names: until a class whose
 * name starts with one of a library's prefixes appears, no weaver is built for that library, and
 * every other class costs a few string comparisons. The library's advice weaver is then built
 * once and sees that class and every later class under its prefixes.
 *
 * <p>Only for an agent started with the JVM: a late-attached agent must retransform classes that
 * are already loaded, which {@link Instrumenter#install} does.
 */
public final class LazyInstallation implements ClassFileTransformer {

    private static final String AGENT_PACKAGE = "dev/voicetrace/";

    /** How long a library's first class waits for the work that must precede its transformations. */
    private static final long READY_WAIT_SECONDS = 30;

    private final List<Library> libraries = new ArrayList<>();
    private final Future<?> ready;
    /** Exact class names (in the JVM's internal form) whose loading someone wants to hear of. */
    private final Map<String, Runnable> watchedClasses = new ConcurrentHashMap<>();
    /** The same names in binary form, for {@link ClassLoadGate}. */
    private final java.util.Set<String> watchedBinaryNames = ConcurrentHashMap.newKeySet();
    private final Thread installer;

    /**
     * @param ready done when the agent's other start-up work is (context propagation into the
     *     JDK's classes): a library's first class waits for it, so that no traced call can be made
     *     before work handed between threads carries its context
     */
    public LazyInstallation(Future<?> ready) {
        this(ready, null);
    }

    /**
     * @param installer the thread doing that start-up work: the classes it loads (the weaver's own,
     *     say) never build a library, since building one waits for that very work
     */
    public LazyInstallation(Future<?> ready, Thread installer) {
        this.installer = installer;
        this.ready = ready;
    }

    /**
     * Adds a library: its modules are installed when the first class whose name (dotted, e.g.
     * {@code com.openai.}) starts with one of {@code classNamePrefixes} is loaded. The prefixes
     * must cover every type the modules' {@link InstrumentationModule#typeNameFilter()} accepts.
     */
    public LazyInstallation add(String name, String[] classNamePrefixes, List<InstrumentationModule> modules) {
        if (!modules.isEmpty()) {
            libraries.add(new Library(name, classNamePrefixes, modules, null));
        }
        return this;
    }

    /**
     * Adds a library whose modules are not even declared until its first class under
     * {@code classNamePrefixes} (at least one) is loaded: {@code declare} then runs once, on that
     * thread, and returns them (none when the library cannot be traced).
     */
    public LazyInstallation add(String name, String[] classNamePrefixes,
                                Supplier<List<InstrumentationModule>> declare) {
        if (classNamePrefixes.length == 0) {
            throw new IllegalArgumentException(name + ": a library declared on its first class needs a prefix");
        }
        libraries.add(new Library(name, classNamePrefixes, Collections.emptyList(), declare));
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
        watchedBinaryNames.add(className);
        return this;
    }

    /**
     * Registered as able to retransform, like the agent's other transformers, although it never
     * asks for a retransformation itself: the JVM copies every class file it loads once for each
     * agent environment that has a transformer, and retransforming transformers live in an
     * environment of their own: with every transformer of one kind, each class is copied once.
     * When another agent retransforms a class, this sees it again and weaves it again, as the JVM
     * restarts from the class file as it was loaded.
     */
    public void installOn(Instrumentation instrumentation) {
        ClassLoadGate.add(instrumentation, this, this::wants);
    }

    /**
     * What {@link ClassLoadGate} must show this of a class about to be defined: a class under a
     * library's prefixes or watched by name; every class of a loader that sees a library whose
     * types can have any name.
     */
    ClassLoadGate.Want wants(ClassLoader loader, String binaryName) {
        if (watchedBinaryNames.contains(binaryName)) {
            return ClassLoadGate.Want.THIS_CLASS;
        }
        for (int i = 0; i < libraries.size(); i++) {
            ClassLoadGate.Want want = libraries.get(i).wants(binaryName, loader);
            if (want != ClassLoadGate.Want.NOTHING) {
                return want;
            }
        }
        return ClassLoadGate.Want.NOTHING;
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
        // The agent's own classes (its shaded libraries included) are never a library's: building
        // a library on one of them could wait for the installer thread that is loading it.
        // Once that work is done, the installer thread's classes are like any other (the class-file
        // gate retransforms on it a library's class that was defined as it closed).
        if (className == null || className.startsWith(AGENT_PACKAGE)
                || (installer != null && Thread.currentThread() == installer && !ready.isDone())) {
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
                ClassFileTransformer transformer = library.transformer(className, ready);
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
        final String[] binaryPrefixes;
        /** The modules given at start; for a library declared on its first class, none. */
        final List<InstrumentationModule> modules;
        /** Declares the modules on the library's first class; null when they were given at start. */
        private final Supplier<List<InstrumentationModule>> declare;
        volatile AdviceWeaver transformer;
        /** The library cannot be traced (its provider failed or declared nothing): none of its classes is wanted. */
        private volatile boolean failed;

        Library(String name, String[] classNamePrefixes, List<InstrumentationModule> modules,
                Supplier<List<InstrumentationModule>> declare) {
            this.name = name;
            this.internalPrefixes = new String[classNamePrefixes.length];
            for (int i = 0; i < classNamePrefixes.length; i++) {
                internalPrefixes[i] = classNamePrefixes[i].replace('.', '/');
            }
            this.binaryPrefixes = classNamePrefixes.clone();
            this.modules = new ArrayList<>(modules);
            this.declare = declare;
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

        ClassLoadGate.Want wants(String binaryName, ClassLoader loader) {
            if (binaryPrefixes.length == 0) {
                return covers(binaryName, loader) ? ClassLoadGate.Want.EVERY_CLASS : ClassLoadGate.Want.NOTHING;
            }
            for (String prefix : binaryPrefixes) {
                if (binaryName.startsWith(prefix)) {
                    return wantedOnceBuilt(binaryName);
                }
            }
            return ClassLoadGate.Want.NOTHING;
        }

        /**
         * A class under the library's prefixes: before the library is built, each such class (the
         * first one builds it); once built, only those whose names its weaver accepts. The rest of
         * a library (its models, most of its classes) would be shown to the weaver only to be
         * refused on their names, each at the cost of the JVM copying its class file while the
         * class-file hook is on.
         */
        private ClassLoadGate.Want wantedOnceBuilt(String binaryName) {
            if (failed) {
                return ClassLoadGate.Want.NOTHING;
            }
            AdviceWeaver built = transformer;
            return built == null || built.acceptsName(binaryName) ? ClassLoadGate.Want.THIS_CLASS
                    : ClassLoadGate.Want.NOTHING;
        }

        ClassFileTransformer transformer(String firstClass, Future<?> ready) {
            AdviceWeaver built = transformer;
            if (built != null) {
                return built;
            }
            synchronized (this) {
                if (transformer == null && !failed) {
                    awaitQuietly(ready);
                    long started = System.nanoTime();
                    try {
                        List<InstrumentationModule> declared = declare == null ? modules : declare.get();
                        if (declared.isEmpty()) {
                            // Its provider failed (and said why) or declared nothing: nothing to weave.
                            failed = true;
                            return null;
                        }
                        transformer = Instrumenter.weaverFor(declared);
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

    private static void awaitQuietly(Future<?> ready) {
        try {
            ready.get(READY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // That work reports its own failure; the library is instrumented all the same.
        }
    }
}
