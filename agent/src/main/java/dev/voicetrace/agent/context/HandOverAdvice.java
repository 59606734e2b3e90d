package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/** Inlined where work is handed to an executor: the work (first argument) takes the current context along. */
public final class HandOverAdvice {

    private HandOverAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object work) {
        ContextPropagation.capture(work);
    }
}
