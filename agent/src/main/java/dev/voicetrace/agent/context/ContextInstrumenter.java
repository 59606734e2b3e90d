package dev.voicetrace.agent.context;

import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.isTypeInitializer;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.AdviceWeaver;
import dev.voicetrace.agent.instrument.NamedClasses;
import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.ReactorPropagation;
import java.lang.instrument.Instrumentation;

/**
 * Makes the session and turn context follow work across threads: the JDK's thread pools, fork/join
 * tasks (which run {@code CompletableFuture}'s async stages), stages added to a completed
 * {@code CompletableFuture}, platform and virtual threads and
 * Project Reactor's operators, plus SLF4J's MDC as a source of session ids. The JDK classes are
 * loaded before the agent starts, so they are retransformed (the weaver sees only the classes
 * named here, see {@link NamedClasses}); advice only adds calls to
 * {@link ContextPropagation} and {@link ReactorPropagation}, which are on the bootstrap class path
 * (the JDK's modules are given a read edge to it).
 */
public final class ContextInstrumenter {

    private ContextInstrumenter() {}

    public static void install(Instrumentation instrumentation) {
        AdviceWeaver weaver = new AdviceWeaver((typeName, failure) -> AgentLog.warnOnce("context-error:" + typeName,
                "context propagation through " + typeName + " is not available: " + failure))
                .withReadEdgeTo(instrumentation, ContextPropagation.class);
        weaver.forTypes(named("java.util.concurrent.ThreadPoolExecutor"))
                .advise(named("execute").and(takesArguments(1)), ContextAdvice.HAND_OVER)
                .advise(named("beforeExecute").and(takesArguments(2)), ContextAdvice.BEFORE_POOLED_TASK)
                .advise(named("afterExecute").and(takesArguments(2)), ContextAdvice.AFTER_POOLED_TASK);
        weaver.forTypes(named("java.util.concurrent.ForkJoinPool"))
                .advise(namedOneOf("execute", "submit").and(takesArguments(1)), ContextAdvice.HAND_OVER);
        weaver.forTypes(named("java.util.concurrent.ForkJoinTask"))
                .advise(isConstructor(), ContextAdvice.CREATED_WORK)
                .advise(named("doExec").and(takesArguments(0)), ContextAdvice.RUN_WORK);
        weaver.forTypes(named("java.util.concurrent.FutureTask"))
                .advise(isConstructor(), ContextAdvice.CREATED_WORK);
        weaver.forTypes(named(COMPLETABLE_FUTURE))
                .advise(namedOneOf("completeValue", "completeNull", "completeThrowable", "completeRelay",
                        "internalComplete"), ContextAdvice.FUTURE_COMPLETED)
                .advise(namedOneOf(STAGE_METHODS), ContextAdvice.ADDING_STAGE);
        // start(), and from JDK 21 the start(ThreadContainer) through which executors start threads
        weaver.forTypes(named("java.lang.Thread"))
                .advise(named("start"), ContextAdvice.STARTING_THREAD)
                .advise(named("run").and(takesArguments(0)), ContextAdvice.RUN_WORK);
        weaver.forTypes(named("java.lang.VirtualThread"))
                .advise(named("start"), ContextAdvice.STARTING_THREAD)
                .advise(named("run").and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
                        ContextAdvice.RUN_WORK);
        weaver.forTypes(named("org.slf4j.MDC"))
                .advise(named("put").and(takesArguments(String.class, String.class)), ContextAdvice.MDC_PUT)
                .advise(named("remove").and(takesArguments(String.class)), ContextAdvice.MDC_REMOVE)
                .advise(named("clear").and(takesArguments(0)), ContextAdvice.MDC_CLEAR);
        weaver.forTypes(named(REACTOR_HOOKS))
                .advise(isTypeInitializer(), ContextAdvice.REACTOR_HOOKS);
        java.util.List<String> names = new java.util.ArrayList<>(java.util.Arrays.asList(HAND_OVER_TYPES));
        names.add(REACTOR_HOOKS);
        NamedClasses.register(instrumentation, weaver, names);
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

    static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";

    /** The instance methods through which every dependent stage is added to a {@code CompletableFuture}. */
    static final String[] STAGE_METHODS = {
        "uniApplyStage", "uniAcceptStage", "uniRunStage", "uniWhenCompleteStage", "uniHandleStage",
        "uniExceptionallyStage", "uniComposeExceptionallyStage", "uniComposeStage", "biApplyStage",
        "biAcceptStage", "biRunStage", "orApplyStage", "orAcceptStage", "orRunStage",
    };

    private static final String[] HAND_OVER_TYPES = {
        "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinPool",
        "java.util.concurrent.ForkJoinTask", "java.util.concurrent.FutureTask", COMPLETABLE_FUTURE,
        "java.lang.Thread", "java.lang.VirtualThread", "org.slf4j.MDC",
    };
}
