package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TracePropagation;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HttpServlet.service(ServletRequest, ServletResponse)} ({@code javax} and
 * {@code jakarta}): the request's trace context is the handling thread's while the servlet runs.
 */
public final class ServletServiceAdvice {

    private ServletServiceAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object request) {
        return TracePropagation.enterServlet(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        TracePropagation.exitIncoming(token);
    }
}
