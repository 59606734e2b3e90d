package dev.voicetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * openai-java: every request goes through the {@code WithRawResponse} service implementations
 * (the plain sync and async methods call them and parse their result), so advice on their
 * {@code create} and {@code createStreaming} covers sync, async, streaming and raw-response use.
 */
public final class OpenAiInstrumentation implements InstrumentationModule {

    private static final String[] RAW_SERVICES = {
        "com.openai.services.blocking.chat.ChatCompletionService$WithRawResponse",
        "com.openai.services.blocking.ResponseService$WithRawResponse",
        "com.openai.services.blocking.audio.TranscriptionService$WithRawResponse",
        "com.openai.services.blocking.audio.TranslationService$WithRawResponse",
        "com.openai.services.blocking.audio.SpeechService$WithRawResponse",
        "com.openai.services.async.chat.ChatCompletionServiceAsync$WithRawResponse",
        "com.openai.services.async.ResponseServiceAsync$WithRawResponse",
        "com.openai.services.async.audio.TranscriptionServiceAsync$WithRawResponse",
        "com.openai.services.async.audio.TranslationServiceAsync$WithRawResponse",
        "com.openai.services.async.audio.SpeechServiceAsync$WithRawResponse",
    };

    @Override
    public String name() {
        return "openai-java";
    }

    @Override
    public ElementMatcher.Junction<TypeDescription> typeNameFilter() {
        return nameStartsWith("com.openai.services.");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return not(isInterface()).and(hasSuperType(namedOneOf(RAW_SERVICES)));
    }

    @Override
    public ElementMatcher<MethodDescription> methodMatcher() {
        return namedOneOf("create", "createStreaming").and(takesArguments(2)).and(isPublic()).and(not(isAbstract()));
    }

    @Override
    public String[] requiredMembers() {
        return new String[] {
            "com.openai.core.ObjectMappers#jsonMapper",
            "com.openai.core.http.HttpResponseFor#parse",
            "com.openai.core.http.StreamResponse#stream",
            "com.openai.core.http.HttpResponse#body",
            "com.openai.models.chat.completions.ChatCompletionCreateParams#_body",
            "com.openai.models.audio.transcriptions.TranscriptionCreateParams#_body",
            "com.openai.models.audio.speech.SpeechCreateParams#_body",
            "com.openai.core.MultipartField#value",
        };
    }
}
