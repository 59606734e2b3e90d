package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import net.bytebuddy.asm.Advice;

/** Inlined into SLF4J's {@code MDC}: a session id put there becomes the thread's context. */
public final class MdcAdvice {

    private MdcAdvice() {}

    /** On {@code MDC.put(key, value)}. */
    public static final class Put {
        private Put() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) String key, @Advice.Argument(1) String value) {
            ContextPropagation.onMdcPut(key, value);
        }
    }

    /** On {@code MDC.remove(key)}. */
    public static final class Remove {
        private Remove() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) String key) {
            ContextPropagation.onMdcRemove(key);
        }
    }

    /** On {@code MDC.clear()}. */
    public static final class Clear {
        private Clear() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit() {
            ContextPropagation.onMdcRemove(null);
        }
    }
}
