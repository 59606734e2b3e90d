package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/**
 * The AWS SDK for Java v2 Transcribe streaming operation the agent understands:
 * {@code startStreamTranscription(request, audioPublisher, responseHandler)}, by operation key.
 */
public final class TranscribeStreamingOperations {

    public static final String KEY = "aws.transcribestreaming.startStreamTranscription";
    static final String PROVIDER = "aws-transcribe";
    static final String START_STREAM_TRANSCRIPTION = "StartStreamTranscription";

    private TranscribeStreamingOperations() {}

    public static void register(OperationRegistry registry) {
        registry.registerKey(KEY, new OperationSpec(PROVIDER, START_STREAM_TRANSCRIPTION, StageKind.STT, true,
                new TranscribeStreamingExtractor(), new TranscribeStreamingObserver(), false));
    }
}
