package dev.voicetrace.agent.propagation;

import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.AdviceWeaver;
import dev.voicetrace.agent.instrument.NamedClasses;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Trace context in and out where no call is intercepted anyway: servlets' request entry points,
 * where the request's {@code traceparent}, {@code tracestate} and {@code baggage} become the
 * context of the thread handling it (from there the agent's context propagation carries it across
 * executors), Spring WebFlux's handler adapter (the same, and the handler's {@code Mono} subscribed
 * in that context, from where Reactor's operators carry it), and grpc-java's client calls
 * (metadata out) and server calls (metadata in).
 */
public final class PropagationInstrumenter {

    static final String JAVAX_SERVLET = "javax.servlet.http.HttpServlet";
    static final String JAKARTA_SERVLET = "jakarta.servlet.http.HttpServlet";
    static final String GRPC_CHANNEL = "io.grpc.internal.ManagedChannelImpl$RealChannel";
    static final String GRPC_CLIENT_CALL = "io.grpc.internal.ClientCallImpl";
    static final String GRPC_DELAYED_CALL = "io.grpc.internal.DelayedClientCall";
    static final String GRPC_SERVER_CALL = "io.grpc.internal.ServerCallImpl";
    static final String GRPC_SERVER_LISTENER = "io.grpc.internal.ServerCallImpl$ServerStreamListenerImpl";
    static final String WEBFLUX_ADAPTER = "org.springframework.web.server.adapter.HttpWebHandlerAdapter";

    private PropagationInstrumenter() {}

    public static void install(Instrumentation instrumentation) {
        AdviceWeaver weaver = AdviceWeaver.loggingFailures("its requests' trace context is not read");
        weaver.forTypes(named(JAVAX_SERVLET))
                .advise(named("service").and(takesArguments(2)).and(takesArgument(0, named("javax.servlet.ServletRequest"))),
                        PropagationAdvice.SERVLET_SERVICE);
        weaver.forTypes(named(JAKARTA_SERVLET))
                .advise(named("service").and(takesArguments(2))
                                .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))),
                        PropagationAdvice.SERVLET_SERVICE);
        weaver.forTypes(named(WEBFLUX_ADAPTER))
                .advise(named("handle").and(takesArguments(2))
                                .and(takesArgument(0, named("org.springframework.http.server.reactive.ServerHttpRequest"))),
                        PropagationAdvice.WEBFLUX_HANDLE);
        weaver.forTypes(named(GRPC_CHANNEL))
                .advise(named("newCall").and(takesArguments(2)), PropagationAdvice.GRPC_NEW_CALL);
        weaver.forTypes(namedOneOf(GRPC_CLIENT_CALL, GRPC_DELAYED_CALL))
                .advise(named("start").and(takesArguments(2)).and(takesArgument(1, named("io.grpc.Metadata"))),
                        PropagationAdvice.GRPC_START_CALL);
        weaver.forTypes(named(GRPC_SERVER_CALL))
                .advise(isConstructor(), PropagationAdvice.GRPC_SERVER_CALL);
        weaver.forTypes(named(GRPC_SERVER_LISTENER))
                .advise(namedOneOf("messagesAvailable", "halfClosed", "closed", "onReady"),
                        PropagationAdvice.GRPC_LISTENER);
        List<String> names = Arrays.asList(JAVAX_SERVLET, JAKARTA_SERVLET, GRPC_CHANNEL, GRPC_CLIENT_CALL,
                GRPC_DELAYED_CALL, GRPC_SERVER_CALL, GRPC_SERVER_LISTENER, WEBFLUX_ADAPTER);
        NamedClasses.register(instrumentation, weaver, names);
        // Installed off the JVM's start-up path: a server or channel class loaded before is changed too.
        NamedClasses.retransform(instrumentation, NamedClasses.loaded(instrumentation, names), "trace context");
    }
}
