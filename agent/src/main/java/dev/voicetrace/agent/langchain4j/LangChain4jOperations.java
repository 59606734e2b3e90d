package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.model.StageKind;

/** The LangChain4j chat calls and tool executions the agent understands, by operation key. */
public final class LangChain4jOperations {

    public static final String PROVIDER = "langchain4j";
    public static final String CHAT = "chat";
    public static final String TOOL = "tool";

    private LangChain4jOperations() {}

    public static void register(OperationRegistry registry) {
        LangChain4jExtractor extractor = new LangChain4jExtractor();
        registry.registerKey(LangChain4jInstrumentation.CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, false, extractor, CallObserver.RETURNED_RESPONSE, true));
        registry.registerKey(LangChain4jInstrumentation.STREAMING_CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, true, extractor, new StreamingHandlerObserver(), true));
        registry.registerKey(LangChain4jInstrumentation.DO_CHAT_KEY,
                OperationSpec.nestedOnly(PROVIDER, "doChat", CallObserver.effectiveRequestOf(PROVIDER)));
        registry.registerKey(LangChain4jToolInstrumentation.TOOL_KEY, new OperationSpec(PROVIDER, TOOL, StageKind.TOOL,
                false, new LangChain4jToolExtractor(), CallObserver.RETURNED_RESPONSE, false));
    }
}
