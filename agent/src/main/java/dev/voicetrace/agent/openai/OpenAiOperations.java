package dev.voicetrace.agent.openai;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The openai-java operations the agent understands, by request type and method. */
public final class OpenAiOperations {

    static final String PROVIDER = "openai";
    static final String CHAT = "chat.completions.create";
    static final String RESPONSES = "responses.create";
    static final String TRANSCRIPTION = "audio.transcriptions.create";
    static final String TRANSLATION = "audio.translations.create";
    static final String SPEECH = "audio.speech.create";

    private OpenAiOperations() {}

    public static void register(OperationRegistry registry) {
        CallExtractor extractor = new OpenAiExtractor();
        both(registry, "com.openai.models.chat.completions.ChatCompletionCreateParams", CHAT, StageKind.LLM, extractor);
        both(registry, "com.openai.models.responses.ResponseCreateParams", RESPONSES, StageKind.LLM, extractor);
        both(registry, "com.openai.models.audio.transcriptions.TranscriptionCreateParams", TRANSCRIPTION, StageKind.STT,
                extractor);
        registry.register("com.openai.models.audio.translations.TranslationCreateParams", "create",
                new OperationSpec(PROVIDER, TRANSLATION, StageKind.STT, false, extractor));
        registry.register("com.openai.models.audio.speech.SpeechCreateParams", "create",
                new OperationSpec(PROVIDER, SPEECH, StageKind.TTS, false, extractor));
    }

    private static void both(OperationRegistry registry, String requestType, String operation, StageKind kind,
                             CallExtractor extractor) {
        registry.register(requestType, "create", new OperationSpec(PROVIDER, operation, kind, false, extractor));
        registry.register(requestType, "createStreaming", new OperationSpec(PROVIDER, operation, kind, true, extractor));
    }
}
