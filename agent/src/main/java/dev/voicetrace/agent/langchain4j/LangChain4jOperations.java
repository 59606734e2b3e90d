package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.instrument.LangChain4jInstrumentation;
import dev.voicetrace.agent.model.StageKind;

/** The LangChain4j chat calls the agent understands, by operation key. */
public final class LangChain4jOperations {

    public static final String PROVIDER = "langchain4j";
    public static final String CHAT = "chat";

    /** A blocking call ends when it returns its {@code ChatResponse}. */
    static final CallObserver BLOCKING = new CallObserver() {
        @Override
        public Object onResult(InFlightCall call, Object result) {
            call.onResponse(result);
            call.complete(false);
            return result;
        }
    };

    /** {@code doChat(request, ...)} inside a chat call: its request carries the model's defaults. */
    static final CallObserver MERGED_REQUEST = new CallObserver() {
        @Override
        public void onNestedArguments(InFlightCall enclosing, Object[] arguments) {
            if (PROVIDER.equals(enclosing.spec().provider) && arguments.length > 0 && arguments[0] != null) {
                enclosing.onEffectiveRequest(arguments[0]);
            }
        }
    };

    private LangChain4jOperations() {}

    public static void register(OperationRegistry registry) {
        LangChain4jExtractor extractor = new LangChain4jExtractor();
        registry.registerKey(LangChain4jInstrumentation.CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, false, extractor, BLOCKING, true));
        registry.registerKey(LangChain4jInstrumentation.STREAMING_CHAT_KEY,
                new OperationSpec(PROVIDER, CHAT, StageKind.LLM, true, extractor, new StreamingHandlerObserver(), true));
        registry.registerKey(LangChain4jInstrumentation.DO_CHAT_KEY,
                OperationSpec.nestedOnly(PROVIDER, "doChat", MERGED_REQUEST));
    }
}
