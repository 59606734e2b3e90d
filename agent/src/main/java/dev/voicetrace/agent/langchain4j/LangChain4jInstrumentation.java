package dev.voicetrace.agent.langchain4j;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.nameStartsWith;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.returns;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;

import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.Interception;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.util.Arrays;
import java.util.List;

/**
 * LangChain4j: {@code ChatModel.chat(ChatRequest)} and {@code StreamingChatModel.chat(ChatRequest,
 * StreamingChatResponseHandler)}, at the interface level. Every other overload ({@code chat(String)},
 * {@code chat(List)}, ...) funnels into these default methods, and provider modules implement
 * {@code doChat} only, so one advice on the interfaces covers every provider. Since 1.x the
 * one-request methods funnel in turn into {@code chat(ChatRequest, ChatRequestOptions[, handler])},
 * which is intercepted too for applications calling it directly; the inner call of a nested pair is
 * not recorded twice. Implementations in LangChain4j's own packages that override these methods are
 * matched as well. Their {@code doChat}, called inside with the request merged with the model's
 * default parameters, only tells the enclosing call its model name and parameters.
 */
public final class LangChain4jInstrumentation implements InstrumentationModule {

    public static final String CHAT_KEY = "langchain4j.chat";
    public static final String STREAMING_CHAT_KEY = "langchain4j.chat.streaming";
    /** {@code doChat}, which the chat methods call with the request merged with the model's defaults. */
    public static final String DO_CHAT_KEY = "langchain4j.doChat";

    static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
    static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";
    static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";
    static final String CHAT_RESPONSE = "dev.langchain4j.model.chat.response.ChatResponse";
    static final String HANDLER = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";
    static final String OPTIONS = "dev.langchain4j.model.chat.ChatRequestOptions";

    @Override
    public String name() {
        return "langchain4j";
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
        return hasSuperType(namedOneOf(CHAT_MODEL, STREAMING_CHAT_MODEL));
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(named("chat").and(isPublic()).and(not(isAbstract()))
                        .and(returns(named(CHAT_RESPONSE)))
                        .and(takesArgument(0, named(CHAT_REQUEST)))
                        .and(takesArguments(1).or(takesArguments(2).and(takesArgument(1, named(OPTIONS))))),
                        CHAT_KEY),
                Interception.byKey(named("chat").and(isPublic()).and(not(isAbstract()))
                        .and(takesArgument(0, named(CHAT_REQUEST)))
                        .and(takesArguments(2).and(takesArgument(1, named(HANDLER)))
                                .or(takesArguments(3).and(takesArgument(1, named(OPTIONS)))
                                        .and(takesArgument(2, named(HANDLER))))),
                        STREAMING_CHAT_KEY),
                Interception.byKey(named("doChat").and(isPublic()).and(not(isAbstract()))
                        .and(takesArgument(0, named(CHAT_REQUEST))), DO_CHAT_KEY));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            CHAT_MODEL + "#chat",
            STREAMING_CHAT_MODEL + "#chat",
            HANDLER + "#onCompleteResponse",
            HANDLER + "#onError",
        };
    }
}
