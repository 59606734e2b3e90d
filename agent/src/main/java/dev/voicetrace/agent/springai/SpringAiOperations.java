package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The Spring AI chat calls and tool calls the agent understands, by operation key. */
public final class SpringAiOperations {

    public static final String PROVIDER = "spring-ai";
    public static final String CALL = "chat.call";
    public static final String STREAM = "chat.stream";
    public static final String TOOL = "tool";

    private SpringAiOperations() {}

    public static void register(OperationRegistry registry) {
        SpringAiExtractor extractor = new SpringAiExtractor();
        registry.registerKey(SpringAiInstrumentation.CALL_KEY,
                new OperationSpec(PROVIDER, CALL, StageKind.LLM, false, extractor, CallObserver.RETURNED_RESPONSE, true));
        registry.registerKey(SpringAiInstrumentation.STREAM_KEY,
                new OperationSpec(PROVIDER, STREAM, StageKind.LLM, true, extractor, new FluxObserver(), true));
        registry.registerKey(SpringAiInstrumentation.OBSERVED_PROMPT_KEY,
                OperationSpec.nestedOnly(PROVIDER, "observation.prompt", CallObserver.effectiveRequestOf(PROVIDER)));
        registry.registerKey(SpringAiToolInstrumentation.TOOL_KEY, new OperationSpec(PROVIDER, TOOL, StageKind.TOOL,
                false, new SpringAiToolExtractor(), CallObserver.RETURNED_RESPONSE, false));
    }
}
