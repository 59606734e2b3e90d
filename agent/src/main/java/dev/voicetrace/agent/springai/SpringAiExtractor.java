package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;

/** Reads a Spring AI chat call: its {@code Prompt}, its {@code ChatResponse} or the streamed ones. */
final class SpringAiExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) {
        Object[] arguments = call.arguments();
        // The prompt a model gave its observation context has its default options merged in.
        Object prompt = call.effectiveRequest() != null ? call.effectiveRequest()
                : arguments.length > 0 ? arguments[0] : null;
        if (prompt != null) {
            SpringAiMapper.request(prompt, record);
        }
        if (call.spec().streaming) {
            int first = SpringAiMapper.streamedResponses(call.streamItems(), record);
            if (first >= 0) {
                record.firstOutputEpochNanos = call.streamItemTime(first);
            }
        } else if (call.response() != null) {
            SpringAiMapper.response(call.response(), record);
        }
    }
}
