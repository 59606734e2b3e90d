package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.agent.instrument.SpringAiInstrumentation;
import dev.voicetrace.agent.model.StageKind;

/** The Spring AI chat calls the agent understands, by operation key. */
public final class SpringAiOperations {

    public static final String PROVIDER = "spring-ai";
    public static final String CALL = "chat.call";
    public static final String STREAM = "chat.stream";

    /** {@code call(Prompt)} ends when it returns its {@code ChatResponse}. */
    static final CallObserver BLOCKING = new CallObserver() {
        @Override
        public Object onResult(InFlightCall call, Object result) {
            call.onResponse(result);
            call.complete(false);
            return result;
        }
    };

    /** The observation context's prompt inside a call: the prompt with the model's default options. */
    static final CallObserver MERGED_PROMPT = new CallObserver() {
        @Override
        public void onNestedArguments(InFlightCall enclosing, Object[] arguments) {
            if (PROVIDER.equals(enclosing.spec().provider) && arguments.length > 0 && arguments[0] != null) {
                enclosing.onEffectiveRequest(arguments[0]);
            }
        }
    };

    private SpringAiOperations() {}

    public static void register(OperationRegistry registry) {
        SpringAiExtractor extractor = new SpringAiExtractor();
        registry.registerKey(SpringAiInstrumentation.CALL_KEY,
                new OperationSpec(PROVIDER, CALL, StageKind.LLM, false, extractor, BLOCKING, true));
        registry.registerKey(SpringAiInstrumentation.STREAM_KEY,
                new OperationSpec(PROVIDER, STREAM, StageKind.LLM, true, extractor, new FluxObserver(), true));
        registry.registerKey(SpringAiInstrumentation.OBSERVED_PROMPT_KEY,
                OperationSpec.nestedOnly(PROVIDER, "observation.prompt", MERGED_PROMPT));
    }
}
