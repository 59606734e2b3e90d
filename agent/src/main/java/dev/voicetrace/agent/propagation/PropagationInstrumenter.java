package dev.voicetrace.agent.propagation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.NamedClasses;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

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
        // Without these, Byte Buddy prepares class injection through sun.misc.Unsafe, which JDK 24+ warns about.
        dev.voicetrace.agent.instrument.Instrumenter.quietByteBuddy();
        ClassLoader agentLoader = PropagationInstrumenter.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new FailureLog())
                .ignore(not(namedOneOf(JAVAX_SERVLET, JAKARTA_SERVLET, GRPC_CHANNEL, GRPC_CLIENT_CALL,
                        GRPC_DELAYED_CALL, GRPC_SERVER_CALL, GRPC_SERVER_LISTENER, WEBFLUX_ADAPTER)))
                .type(named(JAVAX_SERVLET))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("service").and(takesArguments(2))
                                        .and(takesArgument(0, named("javax.servlet.ServletRequest"))),
                                ServletServiceAdvice.class.getName()))
                .type(named(JAKARTA_SERVLET))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("service").and(takesArguments(2))
                                        .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))),
                                ServletServiceAdvice.class.getName()))
                .type(named(WEBFLUX_ADAPTER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("handle").and(takesArguments(2)).and(takesArgument(0,
                                        named("org.springframework.http.server.reactive.ServerHttpRequest"))),
                                WebFluxHandleAdvice.class.getName()))
                .type(named(GRPC_CHANNEL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("newCall").and(takesArguments(2)), GrpcAdvice.NewCall.class.getName()))
                .type(namedOneOf(GRPC_CLIENT_CALL, GRPC_DELAYED_CALL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("start").and(takesArguments(2))
                                        .and(takesArgument(1, named("io.grpc.Metadata"))),
                                GrpcAdvice.StartCall.class.getName()))
                .type(named(GRPC_SERVER_CALL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(isConstructor(), GrpcAdvice.ServerCall.class.getName()))
                .type(named(GRPC_SERVER_LISTENER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(namedOneOf("messagesAvailable", "halfClosed", "closed", "onReady"),
                                GrpcAdvice.Listener.class.getName()));
        List<String> names = Arrays.asList(JAVAX_SERVLET, JAKARTA_SERVLET, GRPC_CHANNEL, GRPC_CLIENT_CALL,
                GRPC_DELAYED_CALL, GRPC_SERVER_CALL, GRPC_SERVER_LISTENER, WEBFLUX_ADAPTER);
        NamedClasses.register(instrumentation, builder, names);
        // Installed off the JVM's start-up path: a server or channel class loaded before is changed too.
        NamedClasses.retransform(instrumentation, NamedClasses.loaded(instrumentation, names), "trace context");
    }

    private static final class FailureLog extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.warnOnce("propagation-error:" + typeName, "could not instrument " + typeName
                    + "; its requests' trace context is not read: " + throwable);
        }
    }
}
