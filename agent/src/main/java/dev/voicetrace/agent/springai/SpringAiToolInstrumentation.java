package dev.voicetrace.agent.springai;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isBridge;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.returns;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Collections;
import java.util.List;

/**
 * Spring AI's tool execution: {@code ToolCallback.call(String toolInput)} and
 * {@code call(String toolInput, ToolContext)}, which the tool calling manager calls for every tool
 * the model asks for, in the interface (its default {@code call(String, ToolContext)} serves the
 * application's own callbacks) and in Spring AI's callbacks ({@code MethodToolCallback} runs
 * {@code @Tool} methods, {@code FunctionToolCallback} functions). The callback's definition names
 * the tool, so the advice passes the receiver with the arguments. When one of these methods calls
 * the other, or a decorating callback its delegate, the inner call is the same execution.
 */
public final class SpringAiToolInstrumentation implements InstrumentationModule {

    public static final String TOOL_KEY = "spring-ai.tool.call";

    static final String TOOL_CALLBACK = "org.springframework.ai.tool.ToolCallback";

    @Override
    public String name() {
        return "spring-ai-tools";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"org.springframework.ai."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return nameStartsWith("org.springframework.ai.");
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return hasSuperType(named(TOOL_CALLBACK));
    }

    @Override
    public List<Interception> interceptions() {
        return Collections.singletonList(Interception.byKey(named("call")
                .and(isPublic()).and(not(isAbstract())).and(not(isBridge()))
                .and(takesArgument(0, String.class)).and(returns(String.class)), TOOL_KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            TOOL_CALLBACK + "#call",
        };
    }
}
