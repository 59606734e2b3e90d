package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor} runs each task between {@code beforeExecute(thread, task)} and
 * {@code afterExecute(task, thrown)}: the task's context is installed in the first and dropped
 * in the second.
 */
public final class PooledTaskAdvice {

    private PooledTaskAdvice() {}

    /** On {@code beforeExecute}. */
    public static final class Before {
        private Before() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(1) Object task) {
            ContextPropagation.enterTask(task);
        }
    }

    /** On {@code afterExecute}. */
    public static final class After {
        private After() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit() {
            ContextPropagation.endPooledTask();
        }
    }
}
