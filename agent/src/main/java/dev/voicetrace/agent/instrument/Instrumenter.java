package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Weaves every instrumentation module's advice into the classes the modules match. */
public final class Instrumenter {

    /** Never instrumented, whatever a module's matchers say: the agent's own classes and the JDK's. */
    private static final String[] IGNORED_PREFIXES = {"dev.voicetrace.", "java.", "jdk.", "sun."};

    private Instrumenter() {}

    /**
     * Installs the modules on an application that is already running (late attach): classes loaded
     * from now on are woven as they load, and the matching classes already loaded are retransformed.
     *
     * @param onClassLoaded told the name of every class the application loads from now on (while
     *     it is being loaded); it must be cheap
     */
    public static void install(Instrumentation instrumentation, List<InstrumentationModule> modules,
                               Consumer<String> onClassLoaded) {
        AdviceWeaver weaver = weaverFor(modules);
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain protectionDomain, byte[] classfileBuffer) {
                if (className != null && classBeingRedefined == null) {
                    try {
                        onClassLoaded.accept(className.replace('/', '.'));
                    } catch (RuntimeException e) {
                        AgentLog.warnOnce("class-loaded-listener", "a class-load listener failed: " + e);
                    }
                }
                return weaver.transform(module, loader, className, classBeingRedefined, protectionDomain,
                        classfileBuffer);
            }
        }, true);
        String[] prefixes = LazyInstallation.prefixesOf(modules);
        boolean anyName = false;
        for (InstrumentationModule module : modules) {
            anyName |= module.classNamePrefixes().length == 0;
        }
        java.util.Set<Class<?>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        // Twice: a class whose loading began just before the transformer was added is shown to no
        // transformer, and is listed as loaded only once defined, which the first pass may not see.
        // The second pass looks only at classes the first did not list.
        for (int pass = 0; pass < 2; pass++) {
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> type : LoadedClasses.all(instrumentation)) {
                if (seen.add(type) && (anyName || startsWithAny(type.getName(), prefixes))
                        && !ignored(type.getName()) && weaver.appliesTo(type)) {
                    loaded.add(type);
                }
            }
            NamedClasses.retransform(instrumentation, loaded, "tracing");
        }
    }

    /** One weaver for the modules' advice. */
    static AdviceWeaver weaverFor(List<InstrumentationModule> modules) {
        AdviceWeaver weaver = AdviceWeaver.loggingFailures("it runs untraced");
        for (InstrumentationModule module : modules) {
            SupportCheck check = new SupportCheck(module);
            Matcher<TypeShape> types = module.typeNameFilter().and(module.typeMatcher());
            // The version check runs only for a type that matched, so it costs nothing elsewhere.
            // The name filter first, on the name alone: a class it refuses is never read.
            AdviceWeaver.Rule rule = weaver.forTypes(module.typeNameFilter(), (type, loader) -> !ignored(type.name())
                    && module.appliesTo(loader) && types.matches(type) && check.supported(loader));
            for (Interception interception : module.interceptions()) {
                if (interception.advice != null) {
                    rule.advise(interception.methods, interception.advice);
                } else if (interception.operationKey == null) {
                    rule.advise(interception.methods, ClientCallAdvice.ADVICE);
                } else {
                    rule.advise(interception.methods, KeyedCallAdvice.forKey(interception.operationKey));
                }
            }
        }
        return weaver;
    }

    private static boolean ignored(String typeName) {
        return startsWithAny(typeName, IGNORED_PREFIXES);
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
