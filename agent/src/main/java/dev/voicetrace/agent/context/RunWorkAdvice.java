package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/** Inlined where a unit of work runs (a fork/join task, a thread's body): its context is in force meanwhile. */
public final class RunWorkAdvice {

    private RunWorkAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object work) {
        return ContextPropagation.enterTask(work);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        ContextPropagation.exitTask(token);
    }
}
