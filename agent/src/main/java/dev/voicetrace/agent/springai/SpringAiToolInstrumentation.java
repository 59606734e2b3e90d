package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return nameStartsWith("org.springframework.ai.");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
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
