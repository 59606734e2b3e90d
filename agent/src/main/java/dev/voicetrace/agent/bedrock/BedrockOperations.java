package dev.voicetrace.agent.bedrock;

import dev.voicetrace.agent.awssdk.AwsEventStreamObserver;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/**
 * The AWS SDK v2 Bedrock Runtime operations the agent understands: {@code converse} and
 * {@code invokeModel} by request type (sync and async clients alike), {@code converseStream} by
 * the key its instrumentation binds (its response handler argument is observed).
 */
public final class BedrockOperations {

    static final String PROVIDER = "bedrock";
    static final String CONVERSE = "converse";
    static final String CONVERSE_STREAM = "converseStream";
    static final String INVOKE_MODEL = "invokeModel";

    static final String MODEL_PACKAGE = "software.amazon.awssdk.services.bedrockruntime.model.";
    public static final String KEY_CONVERSE_STREAM = "bedrock-runtime.converseStream";

    private BedrockOperations() {}

    public static void register(OperationRegistry registry) {
        CallExtractor extractor = new BedrockExtractor();
        registry.register(MODEL_PACKAGE + "ConverseRequest", CONVERSE,
                new OperationSpec(PROVIDER, CONVERSE, StageKind.LLM, false, extractor));
        registry.register(MODEL_PACKAGE + "InvokeModelRequest", INVOKE_MODEL,
                new OperationSpec(PROVIDER, INVOKE_MODEL, StageKind.LLM, false, extractor));
        registry.registerKey(KEY_CONVERSE_STREAM, new OperationSpec(PROVIDER, CONVERSE_STREAM, StageKind.LLM, true,
                extractor, new AwsEventStreamObserver(1), false));
    }
}
