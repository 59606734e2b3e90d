package dev.voicetrace.agent.langchain4j;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

/**
 * LangChain4j's tool execution: {@code ToolExecutor.executeWithContext(ToolExecutionRequest,
 * InvocationContext)}, which AI Services call for every tool the model asks for, and
 * {@code execute(ToolExecutionRequest, Object memoryId)}, in the interface (whose default
 * {@code executeWithContext} serves the application's own executors, lambdas included) and in
 * LangChain4j's implementations ({@code DefaultToolExecutor} runs {@code @Tool} methods). One
 * execution is one tool observation: when one of these methods calls the other, the inner call
 * is the same execution. A module of its own: {@code ToolExecutor} lives in the {@code langchain4j}
 * artifact, which applications using only a model module do not have.
 */
public final class LangChain4jToolInstrumentation implements InstrumentationModule {

    public static final String TOOL_KEY = "langchain4j.tool.execute";

    static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";
    static final String REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

    @Override
    public String name() {
        return "langchain4j-tools";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"dev.langchain4j."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith("dev.langchain4j.");
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return hasSuperType(named(TOOL_EXECUTOR));
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(namedOneOf("execute", "executeWithContext")
                .and(isPublic()).and(not(isAbstract()))
                .and(takesArguments(2)).and(takesArgument(0, named(REQUEST))), TOOL_KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            TOOL_EXECUTOR + "#execute",
        };
    }
}
