package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/**
 * Inlined where a unit of work is created or started on the thread that owns it (a future task
 * built by {@code submit}, a fork/join task, a thread being started): it takes the current
 * context along.
 */
public final class CreatedWorkAdvice {

    private CreatedWorkAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object work) {
        ContextPropagation.capture(work);
    }
}
