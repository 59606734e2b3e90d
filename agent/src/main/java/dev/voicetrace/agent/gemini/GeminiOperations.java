package dev.voicetrace.agent.gemini;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The google-genai operations the agent understands, by the keys its instrumentation binds. */
public final class GeminiOperations {

    static final String PROVIDER = "google";
    static final String GENERATE_CONTENT = "models.generateContent";

    /** {@code Models} and {@code AsyncModels}: one HTTP request each, whichever public overload led there. */
    public static final String KEY_GENERATE = "google-genai.generateContent";
    public static final String KEY_GENERATE_STREAM = "google-genai.generateContentStream";
    /** {@code ResponseStream.iterator()} and {@code close()}: how the application consumes a stream. */
    public static final String KEY_STREAM_ITERATOR = "google-genai.responseStream.iterator";
    public static final String KEY_STREAM_CLOSE = "google-genai.responseStream.close";

    private GeminiOperations() {}

    public static void register(OperationRegistry registry) {
        CallExtractor extractor = new GeminiExtractor();
        ResponseStreamObserver streams = new ResponseStreamObserver();
        registry.registerKey(KEY_GENERATE,
                new OperationSpec(PROVIDER, GENERATE_CONTENT, StageKind.LLM, false, extractor));
        registry.registerKey(KEY_GENERATE_STREAM, new OperationSpec(PROVIDER, GENERATE_CONTENT, StageKind.LLM, true,
                extractor, streams.streamResults(), false));
        // Calls on a stream are not model calls: their records are never completed, so never exported.
        CallExtractor none = (call, record) -> {};
        registry.registerKey(KEY_STREAM_ITERATOR, new OperationSpec(PROVIDER, "responseStream.iterator",
                StageKind.LLM, false, none, streams.iterators(), false));
        registry.registerKey(KEY_STREAM_CLOSE, new OperationSpec(PROVIDER, "responseStream.close",
                StageKind.LLM, false, none, streams.closes(), false));
    }
}
