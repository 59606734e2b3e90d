package dev.voicetrace.agent.context;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.Instrumenter;
import dev.voicetrace.agent.instrument.NamedClasses;
import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.ReactorPropagation;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Makes the session and turn context follow work across threads: the JDK's thread pools, fork/join
 * tasks (which run {@code CompletableFuture}'s async stages), platform and virtual threads and
 * Project Reactor's operators, plus SLF4J's MDC as a source of session ids. The JDK classes are
 * loaded before the agent starts, so they are retransformed (Byte Buddy sees only the classes
 * named here, see {@link NamedClasses}); advice only adds calls to
 * {@link ContextPropagation} and {@link ReactorPropagation}, which are on the bootstrap class path
 * (the JDK's modules are given a read edge to it).
 */
public final class ContextInstrumenter {

    private ContextInstrumenter() {}

    public static void install(Instrumentation instrumentation) {
        Instrumenter.quietByteBuddy();
        ClassLoader agentLoader = ContextInstrumenter.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new FailureLog())
                .assureReadEdgeTo(instrumentation, ContextPropagation.class)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.voicetrace.")))
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform(advice(agentLoader, HandOverAdvice.class, named("execute").and(takesArguments(1))))
                .transform(advice(agentLoader, PooledTaskAdvice.Before.class, named("beforeExecute").and(takesArguments(2))))
                .transform(advice(agentLoader, PooledTaskAdvice.After.class, named("afterExecute").and(takesArguments(2))))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform(advice(agentLoader, HandOverAdvice.class,
                        namedOneOf("execute", "submit").and(takesArguments(1))))
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform(advice(agentLoader, CreatedWorkAdvice.class, isConstructor()))
                .transform(advice(agentLoader, RunWorkAdvice.class, named("doExec").and(takesArguments(0))))
                .type(named("java.util.concurrent.FutureTask"))
                .transform(advice(agentLoader, CreatedWorkAdvice.class, isConstructor()))
                .type(named("java.lang.Thread"))
                .transform(advice(agentLoader, StartingThreadAdvice.class, named("start").and(takesArguments(0))))
                .transform(advice(agentLoader, RunWorkAdvice.class, named("run").and(takesArguments(0))))
                .type(named("java.lang.VirtualThread"))
                .transform(advice(agentLoader, StartingThreadAdvice.class, named("start")))
                .transform(advice(agentLoader, RunWorkAdvice.class,
                        named("run").and(takesArguments(1)).and(takesArgument(0, Runnable.class))))
                .type(named("org.slf4j.MDC"))
                .transform(advice(agentLoader, MdcAdvice.Put.class,
                        named("put").and(takesArguments(String.class, String.class))))
                .transform(advice(agentLoader, MdcAdvice.Remove.class,
                        named("remove").and(takesArguments(String.class))))
                .transform(advice(agentLoader, MdcAdvice.Clear.class, named("clear").and(takesArguments(0))))
                .type(named(REACTOR_HOOKS))
                .transform(advice(agentLoader, ReactorHooksAdvice.class, isTypeInitializer()));
        java.util.List<String> names = new java.util.ArrayList<>(java.util.Arrays.asList(HAND_OVER_TYPES));
        names.add(REACTOR_HOOKS);
        NamedClasses.register(instrumentation, builder, names);
        // Looked up only once the transformer is registered, so that a class loaded meanwhile
        // (on another thread) is not missed.
        java.util.List<Class<?>> handOver = new java.util.ArrayList<>();
        for (Class<?> type : NamedClasses.loaded(instrumentation, names)) {
            if (REACTOR_HOOKS.equals(type.getName())) {
                // Initialised before the transformer was there: its operators from now on carry the context.
                ReactorPropagation.install(type);
            } else {
                handOver.add(type);
            }
        }
        NamedClasses.retransform(instrumentation, handOver, "context propagation");
        reportReactor();
    }

    /** Reactor's operator hooks, initialised when the application's Reactor is (see {@link ReactorPropagation}). */
    static final String REACTOR_HOOKS = "reactor.core.publisher.Hooks";

    private static void reportReactor() {
        Throwable failure = ReactorPropagation.installFailure();
        if (failure != null) {
            AgentLog.warn("context propagation through Reactor's operators is not available: " + failure);
        }
    }

    private static final String[] HAND_OVER_TYPES = {
        "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinPool",
        "java.util.concurrent.ForkJoinTask", "java.util.concurrent.FutureTask", "java.lang.Thread",
        "java.lang.VirtualThread", "org.slf4j.MDC",
    };

    private static AgentBuilder.Transformer advice(ClassLoader agentLoader, Class<?> adviceClass,
                                                   ElementMatcher<? super MethodDescription> methods) {
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping())
                .include(agentLoader)
                .advice(methods, adviceClass.getName());
    }

    /** A class that could not be changed keeps working untouched; the log says so once. */
    private static final class FailureLog extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.warnOnce("context-error:" + typeName, "context propagation through " + typeName
                    + " is not available: " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            AgentLog.debug("context propagation through " + typeDescription.getName());
        }
    }
}
