package dev.voicetrace.agent.polly;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The AWS SDK for Java v2 Polly operations the agent understands, by operation key. */
public final class PollyOperations {

    public static final String SYNC_KEY = "aws.polly.synthesizeSpeech";
    public static final String ASYNC_KEY = "aws.polly.synthesizeSpeech.async";
    static final String PROVIDER = "aws-polly";
    static final String SYNTHESIZE = "SynthesizeSpeech";

    private PollyOperations() {}

    public static void register(OperationRegistry registry) {
        PollyExtractor extractor = new PollyExtractor();
        registry.registerKey(SYNC_KEY, new OperationSpec(PROVIDER, SYNTHESIZE, StageKind.TTS, false, extractor,
                new PollyObserver(false), false));
        registry.registerKey(ASYNC_KEY, new OperationSpec(PROVIDER, SYNTHESIZE, StageKind.TTS, false, extractor,
                new PollyObserver(true), false));
    }
}
