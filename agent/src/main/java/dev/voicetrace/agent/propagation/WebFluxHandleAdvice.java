package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TracePropagation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into Spring WebFlux's {@code HttpWebHandlerAdapter.handle(ServerHttpRequest,
 * ServerHttpResponse)}, the one entry every server adapter (Reactor Netty, and Tomcat, Jetty or
 * Undertow through the servlet adapter) hands a request to: the handler's {@code Mono} is built in
 * the request's trace context, and is replaced by one that is subscribed in it.
 */
public final class WebFluxHandleAdvice {

    private WebFluxHandleAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object request) {
        return TracePropagation.enterWebFlux(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handling) {
        handling = TracePropagation.exitWebFlux(token, handling);
    }
}
