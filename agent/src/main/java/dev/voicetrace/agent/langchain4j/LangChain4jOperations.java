package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.instrument.LangChain4jInstrumentation;
import dev.voicetrace.agent.model.StageKind;

/** The LangChain4j chat calls the agent understands, by operation key. */
public final class LangChain4jOperations {

    public static final String PROVIDER = "langchain4j";
    public static final String CHAT = "chat";

    private LangChain4jOperations() {}

    public static void register(OperationRegistry registry) {
        LangChain4jExtractor extractor = new LangChain4jExtractor();
        registry.registerKey(LangChain4jInstrumentation.CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, false, extractor, CallObserver.RETURNED_RESPONSE, true));
        registry.registerKey(LangChain4jInstrumentation.STREAMING_CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, true, extractor, new StreamingHandlerObserver(), true));
        registry.registerKey(LangChain4jInstrumentation.DO_CHAT_KEY,
                OperationSpec.nestedOnly(PROVIDER, "doChat", CallObserver.effectiveRequestOf(PROVIDER)));
    }
}
