package dev.voicetrace.agent.springai;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isBridge;
import static dev.voicetrace.agent.instrument.weave.Matchers.isInterface;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.returns;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.MethodShape;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Arrays;
import java.util.List;

/**
 * Spring AI: {@code ChatModel.call(Prompt)} and {@code stream(Prompt)}. Both are implemented by
 * each provider's model class ({@code OpenAiChatModel}, {@code AnthropicChatModel}, ...), so the
 * advice goes on every class in Spring AI's packages that implements {@code ChatModel} and
 * declares them; the other overloads ({@code call(String)}, {@code stream(String)}) funnel into these.
 * Inside such a call, the prompt a model hands its observation context (merged with the model's
 * default options) tells the call its model name and parameters.
 */
public final class SpringAiInstrumentation implements InstrumentationModule {

    public static final String CALL_KEY = "spring-ai.chat.call";
    public static final String STREAM_KEY = "spring-ai.chat.stream";
    /** The observation context's prompt: the prompt merged with the model's default options. */
    public static final String OBSERVED_PROMPT_KEY = "spring-ai.observation.prompt";
    static final String OBSERVATION_BUILDER = "org.springframework.ai.chat.observation.ChatModelObservationContext$Builder";

    static final String CHAT_MODEL = "org.springframework.ai.chat.model.ChatModel";
    static final String PROMPT = "org.springframework.ai.chat.prompt.Prompt";
    static final String CHAT_RESPONSE = "org.springframework.ai.chat.model.ChatResponse";
    static final String FLUX = "reactor.core.publisher.Flux";

    @Override
    public String name() {
        return "spring-ai";
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
        return not(isInterface()).and(hasSuperType(named(CHAT_MODEL)).or(named(OBSERVATION_BUILDER)));
    }

    @Override
    public List<Interception> interceptions() {
        Matcher<MethodShape> onePrompt =
                isPublic().and(not(isAbstract())).and(not(isBridge()))
                        .and(takesArguments(1)).and(takesArgument(0, named(PROMPT)));
        return Arrays.asList(
                Interception.byKey(named("call").and(onePrompt).and(returns(named(CHAT_RESPONSE))), CALL_KEY),
                Interception.byKey(named("stream").and(onePrompt).and(returns(named(FLUX))), STREAM_KEY),
                Interception.byKey(named("prompt").and(onePrompt).and(returns(named(OBSERVATION_BUILDER))),
                        OBSERVED_PROMPT_KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            CHAT_MODEL + "#call",
            FLUX + "#doOnNext",
            FLUX + "#doOnCancel",
        };
    }
}
