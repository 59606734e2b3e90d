package dev.voicetrace.agent.context;

import static dev.voicetrace.agent.instrument.weave.Value.DECLARING_CLASS;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.NULL;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.ReactorPropagation;

/** What context propagation weaves into the JDK's executors and threads, SLF4J's MDC and Reactor's hooks. */
final class ContextAdvice {

    private ContextAdvice() {}

    /** Where work is handed to an executor: the work (first argument) takes the current context along. */
    static final Advice HAND_OVER = Advice.onEnter(ContextPropagation.class, "capture", argument(0));

    /**
     * Where a unit of work is created on the thread that owns it (a future task built by
     * {@code submit}, a fork/join task): it takes the current context along.
     */
    static final Advice CREATED_WORK = Advice.onExit(ContextPropagation.class, "capture", THIS);

    /** {@code Thread.start}: the thread takes the starting thread's context along, before it can begin to run. */
    static final Advice STARTING_THREAD = Advice.onEnter(ContextPropagation.class, "capture", THIS);

    /** Where work runs (a fork/join task, a thread's body): its context is in force meanwhile. */
    static final Advice RUN_WORK = Advice.onEnter(ContextPropagation.class, "enterTask", THIS)
            .andOnExit(ContextPropagation.class, "exitTask", ENTERED).alsoOnThrowable();

    /**
     * {@code ThreadPoolExecutor} runs each task between {@code beforeExecute(thread, task)} and
     * {@code afterExecute(task, thrown)}: the task's context is installed in the first...
     */
    static final Advice BEFORE_POOLED_TASK = Advice.onEnter(ContextPropagation.class, "enterTask", argument(1));

    /** ...and dropped in the second. */
    static final Advice AFTER_POOLED_TASK = Advice.onExit(ContextPropagation.class, "endPooledTask").alsoOnThrowable();

    /**
     * The methods that set a {@code CompletableFuture}'s result ({@code completeValue} and the
     * like, each returning whether it set it): the future remembers the completing thread's turn.
     */
    static final Advice FUTURE_COMPLETED = Advice.onExit(ContextPropagation.class, "completed", THIS, RETURNED);

    /**
     * The methods that add a stage to a {@code CompletableFuture} ({@code uniApplyStage} and the
     * like): a source already completed in a turn lends its context meanwhile.
     */
    static final Advice ADDING_STAGE = Advice.onEnter(ContextPropagation.class, "addingStage", THIS)
            .andOnExit(ContextPropagation.class, "exitTask", ENTERED).alsoOnThrowable();

    /** {@code MDC.put(key, value)}: a session id put there becomes the thread's context. */
    static final Advice MDC_PUT = Advice.onExit(ContextPropagation.class, "onMdcPut", argument(0), argument(1));

    /** {@code MDC.remove(key)}. */
    static final Advice MDC_REMOVE = Advice.onExit(ContextPropagation.class, "onMdcRemove", argument(0));

    /** {@code MDC.clear()}: as if every key were removed. */
    static final Advice MDC_CLEAR = Advice.onExit(ContextPropagation.class, "onMdcRemove", NULL);

    /**
     * The end of the static initialiser of the application's {@code reactor.core.publisher.Hooks}:
     * Reactor is there, so its operators are made to carry the context before the first of them is assembled.
     */
    static final Advice REACTOR_HOOKS = Advice.onExit(ReactorPropagation.class, "install", DECLARING_CLASS);
}
