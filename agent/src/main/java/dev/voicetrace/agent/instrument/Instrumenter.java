package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/** Installs every instrumentation module's advice with one Byte Buddy agent builder. */
public final class Instrumenter {

    private Instrumenter() {}

    /**
     * @param onClassLoaded told the name of every class the application loads (while it is being
     *     loaded); it must be cheap
     */
    /**
     * @param lateAttach whether the application is already running: only then can SDK classes be
     *     loaded already, and only then are the loaded classes scanned and retransformed
     */
    public static void install(Instrumentation instrumentation, List<InstrumentationModule> modules,
                               boolean lateAttach, java.util.function.Consumer<String> onClassLoaded) {
        quietByteBuddy();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(lateAttach ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new LoadListener(onClassLoaded))
                .ignore(nameStartsWith("dev.voicetrace.").or(nameStartsWith("java.")).or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun.")).or(nameStartsWith("net.bytebuddy.")));
        ClassLoader agentLoader = Instrumenter.class.getClassLoader();
        for (InstrumentationModule module : modules) {
            SupportCheck check = new SupportCheck(module);
            ElementMatcher<TypeDescription> types = module.typeNameFilter().and(module.typeMatcher());
            // The version check runs only for a type that matched, so it costs nothing elsewhere.
            AgentBuilder.Identified.Narrowable matched = builder
                    .type((type, loader, javaModule, redefined, protectionDomain) ->
                            types.matches(type) && check.supported(loader));
            AgentBuilder.Identified.Extendable extendable = null;
            for (Interception interception : module.interceptions()) {
                AgentBuilder.Transformer advice = adviceFor(interception, agentLoader);
                extendable = extendable == null ? matched.transform(advice) : extendable.transform(advice);
            }
            if (extendable != null) {
                builder = extendable;
            }
        }
        builder.installOn(instrumentation);
    }

    /**
     * The agent never injects classes (advice is inlined and its helpers are on the bootstrap
     * class path). Turning Byte Buddy's nexus off keeps it from probing sun.misc.Unsafe, which
     * newer JDKs warn about on the application's stderr. The property name is relocated with
     * Byte Buddy, so it only concerns the agent's own copy. Call before any agent builder is made.
     */
    public static void quietByteBuddy() {
        System.setProperty(Nexus.PROPERTY, "true");
    }

    private static AgentBuilder.Transformer adviceFor(Interception interception, ClassLoader agentLoader) {
        if (interception.adviceClass != null) {
            return new AgentBuilder.Transformer.ForAdvice()
                    .include(agentLoader)
                    .advice(interception.methods, interception.adviceClass);
        }
        if (interception.operationKey == null) {
            return new AgentBuilder.Transformer.ForAdvice()
                    .include(agentLoader)
                    .advice(interception.methods, ClientCallAdvice.class.getName());
        }
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping()
                        .bind(KeyedCallAdvice.OperationKey.class, interception.operationKey))
                .include(agentLoader)
                .advice(interception.methods, KeyedCallAdvice.class.getName());
    }

    /** Reports loaded classes, and logs a class that could not be instrumented, once. */
    private static final class LoadListener extends AgentBuilder.Listener.Adapter {
        private final java.util.function.Consumer<String> onClassLoaded;

        LoadListener(java.util.function.Consumer<String> onClassLoaded) {
            this.onClassLoaded = onClassLoaded;
        }

        @Override
        public void onDiscovery(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
            onClassLoaded.accept(typeName);
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.warnOnce("instrument-error:" + typeName,
                    "could not instrument " + typeName + "; it runs untraced: " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            AgentLog.debug("instrumented " + typeDescription.getName());
        }
    }
}
