package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/**
 * The Google Cloud speech client calls the agent understands: unary calls of the generated
 * clients by request type, and gax bidirectional streams by operation key (their kind, STT or
 * TTS, is known from the first message; see {@link StreamKind}).
 */
public final class GoogleSpeechOperations {

    public static final String BIDI_KEY = "google.gax.bidiStreaming";
    static final String RECOGNIZE_V1 = "speech.v1.Recognize";
    static final String RECOGNIZE_V2 = "speech.v2.Recognize";
    static final String LONG_RUNNING_V1 = "speech.v1.LongRunningRecognize";
    static final String SYNTHESIZE = "texttospeech.v1.SynthesizeSpeech";
    static final String STREAMING = "StreamingCall";

    private GoogleSpeechOperations() {}

    public static void register(OperationRegistry registry) {
        GoogleSpeechExtractor extractor = new GoogleSpeechExtractor();
        registry.register("com.google.cloud.speech.v1.RecognizeRequest", "recognize",
                new OperationSpec("google-speech", RECOGNIZE_V1, StageKind.STT, false, extractor));
        registry.register("com.google.cloud.speech.v1.LongRunningRecognizeRequest", "longRunningRecognizeAsync",
                new OperationSpec("google-speech", LONG_RUNNING_V1, StageKind.STT, false, extractor,
                        new ApiFutureObserver(), false));
        registry.register("com.google.cloud.speech.v2.RecognizeRequest", "recognize",
                new OperationSpec("google-speech", RECOGNIZE_V2, StageKind.STT, false, extractor));
        registry.register("com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest", "synthesizeSpeech",
                new OperationSpec("google-texttospeech", SYNTHESIZE, StageKind.TTS, false, extractor));
        // A stream's kind is known from its first message only: the extractor sets the kind it saw.
        // Registered as TTS, which does not start a turn when the stream opens (as a transcription
        // would); a recognition stream starts its turn at its first request (see GaxBidiObserver).
        registry.registerKey(BIDI_KEY, new OperationSpec("google", STREAMING, StageKind.TTS, true, extractor,
                new GaxBidiObserver(), true));
    }
}
