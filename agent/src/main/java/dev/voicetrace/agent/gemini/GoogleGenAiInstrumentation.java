package dev.voicetrace.agent.gemini;

import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
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
 * google-genai: every public {@code generateContent} and {@code generateContentStream} overload
 * of {@code Models} and {@code AsyncModels} (text, one content, a list of contents; automatic
 * function calling included) ends in {@code privateGenerateContent} or
 * {@code privateGenerateContentStream}, which send exactly one HTTP request: advice there
 * records each model call once. A stream's {@code iterator()} and {@code close()} report how the
 * application consumes it.
 */
public final class GoogleGenAiInstrumentation implements InstrumentationModule {

    private static final String MODELS = "com.google.genai.Models";
    private static final String ASYNC_MODELS = "com.google.genai.AsyncModels";
    private static final String RESPONSE_STREAM = "com.google.genai.ResponseStream";

    @Override
    public String name() {
        return "google-genai";
    }

    @Override
    public String[] classNamePrefixes() {
        return new String[] {"com.google.genai."};
    }

    @Override
    public Matcher<TypeShape> typeNameFilter() {
        return namedOneOf(MODELS, ASYNC_MODELS, RESPONSE_STREAM);
    }

    @Override
    public Matcher<TypeShape> typeMatcher() {
        return namedOneOf(MODELS, ASYNC_MODELS, RESPONSE_STREAM);
    }

    @Override
    public List<Interception> interceptions() {
        return Arrays.asList(
                Interception.byKey(named("privateGenerateContent").and(threeArguments()),
                        GeminiOperations.KEY_GENERATE),
                Interception.byKey(named("privateGenerateContentStream").and(threeArguments()),
                        GeminiOperations.KEY_GENERATE_STREAM),
                Interception.byKey(named("iterator").and(takesArguments(0)),
                        GeminiOperations.KEY_STREAM_ITERATOR),
                Interception.byKey(named("close").and(takesArguments(0)),
                        GeminiOperations.KEY_STREAM_CLOSE));
    }

    private static Matcher<MethodShape> threeArguments() {
        return takesArguments(3).and(takesArgument(0, String.class)).and(takesArgument(1, List.class));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            MODELS + "#privateGenerateContent",
            MODELS + "#privateGenerateContentStream",
            ASYNC_MODELS + "#privateGenerateContent",
            ASYNC_MODELS + "#privateGenerateContentStream",
            RESPONSE_STREAM + "#iterator",
        };
    }
}
