package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ReactorPropagation;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the static initialiser of the application's
 * {@code reactor.core.publisher.Hooks}: Reactor is there, so its operators are made to carry the
 * context (see {@link ReactorPropagation}) before the first of them is assembled.
 */
public final class ReactorHooksAdvice {

    private ReactorHooksAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Origin Class<?> hooks) {
        ReactorPropagation.install(hooks);
    }
}
