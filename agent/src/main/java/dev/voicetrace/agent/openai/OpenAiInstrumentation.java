package dev.voicetrace.agent.openai;

import dev.voicetrace.agent.instrument.GeneratedSdkInstrumentation;
/** openai-java: chat completions, the Responses API, transcriptions, translations and speech. */
public final class OpenAiInstrumentation extends GeneratedSdkInstrumentation {

    public OpenAiInstrumentation() {
        super("openai-java", "com.openai.services.",
                new String[] {
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
                },
                new String[] {
                    "com.openai.core.http.HttpResponseFor#parse",
                    "com.openai.core.http.StreamResponse#stream",
                    "com.openai.core.http.HttpResponse#body",
                });
    }
}
