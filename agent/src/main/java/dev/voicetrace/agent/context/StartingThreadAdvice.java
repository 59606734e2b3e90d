package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Thread.start} (and a virtual thread's start): the thread takes the starting
 * thread's context along. Done on entry, before the new thread can begin to run.
 */
public final class StartingThreadAdvice {

    private StartingThreadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object thread) {
        ContextPropagation.capture(thread);
    }
}
