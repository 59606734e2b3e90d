package dev.voicetrace.agent.propagation;

import static dev.voicetrace.agent.instrument.weave.Value.ALL_ARGUMENTS;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.GrpcPropagation;
import dev.voicetrace.bootstrap.TracePropagation;

/** What trace propagation weaves into servlets, Spring WebFlux and grpc-java. */
final class PropagationAdvice {

    private PropagationAdvice() {}

    /**
     * {@code HttpServlet.service(ServletRequest, ServletResponse)} ({@code javax} and
     * {@code jakarta}): the request's trace context is the handling thread's while the servlet runs.
     */
    static final Advice SERVLET_SERVICE = Advice.onEnter(TracePropagation.class, "enterServlet", argument(0))
            .andOnExit(TracePropagation.class, "exitIncoming", ENTERED).alsoOnThrowable();

    /**
     * Spring WebFlux's {@code HttpWebHandlerAdapter.handle(ServerHttpRequest, ServerHttpResponse)},
     * the one entry every server adapter hands a request to: the handler's {@code Mono} is built in
     * the request's trace context, and is replaced by one that is subscribed in it.
     */
    static final Advice WEBFLUX_HANDLE = Advice.onEnter(TracePropagation.class, "enterWebFlux", argument(0))
            .andOnExit(TracePropagation.class, "exitWebFlux", ENTERED, RETURNED).alsoOnThrowable().replacingReturn();

    /** {@code ManagedChannelImpl$RealChannel.newCall(MethodDescriptor, CallOptions)}. */
    static final Advice GRPC_NEW_CALL = Advice.onExit(GrpcPropagation.class, "newCall", THIS, RETURNED);

    /** {@code ClientCallImpl.start(Listener, Metadata)} and {@code DelayedClientCall.start(Listener, Metadata)}. */
    static final Advice GRPC_START_CALL = Advice.onEnter(GrpcPropagation.class, "startCall", THIS, argument(1));

    /** {@code ServerCallImpl}'s constructor, which receives the request's metadata. */
    static final Advice GRPC_SERVER_CALL = Advice.onExit(GrpcPropagation.class, "serverCall", THIS, ALL_ARGUMENTS);

    /** {@code ServerCallImpl$ServerStreamListenerImpl}'s methods, which run the service's code. */
    static final Advice GRPC_LISTENER = Advice.onEnter(GrpcPropagation.class, "enterListener", THIS)
            .andOnExit(GrpcPropagation.class, "exitListener", ENTERED).alsoOnThrowable();
}
