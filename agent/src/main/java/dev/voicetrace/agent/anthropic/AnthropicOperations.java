package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The anthropic-java operations the agent understands, by request type and method. */
public final class AnthropicOperations {

    static final String PROVIDER = "anthropic";
    static final String MESSAGES = "messages.create";
    static final String MESSAGE_CREATE_PARAMS = "com.anthropic.models.messages.MessageCreateParams";

    private AnthropicOperations() {}

    public static void register(OperationRegistry registry) {
        CallExtractor extractor = new AnthropicExtractor();
        registry.register(MESSAGE_CREATE_PARAMS, "create",
                new OperationSpec(PROVIDER, MESSAGES, StageKind.LLM, false, extractor));
        registry.register(MESSAGE_CREATE_PARAMS, "createStreaming",
                new OperationSpec(PROVIDER, MESSAGES, StageKind.LLM, true, extractor));
    }
}
