package dev.voicetrace.agent.propagation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * Incoming trace context: servers' request entry points, where the request's {@code traceparent},
 * {@code tracestate} and {@code baggage} become the context of the thread handling it (from there
 * the agent's context propagation carries it across executors).
 */
public final class PropagationInstrumenter {

    static final String JAVAX_SERVLET = "javax.servlet.http.HttpServlet";
    static final String JAKARTA_SERVLET = "jakarta.servlet.http.HttpServlet";

    private PropagationInstrumenter() {}

    public static void install(Instrumentation instrumentation) {
        ClassLoader agentLoader = PropagationInstrumenter.class.getClassLoader();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new FailureLog())
                .ignore(not(namedOneOf(JAVAX_SERVLET, JAKARTA_SERVLET)))
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
                .installOn(instrumentation);
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
