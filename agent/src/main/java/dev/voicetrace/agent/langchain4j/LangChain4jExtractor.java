package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;

/** Reads a LangChain4j chat call: its request argument, its response, its partial responses. */
final class LangChain4jExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) {
        Object[] arguments = call.arguments();
        // The request doChat received has the model's default parameters merged in; the same messages.
        Object request = call.effectiveRequest() != null ? call.effectiveRequest()
                : arguments.length > 0 ? arguments[0] : null;
        if (request != null) {
            LangChain4jMapper.request(request, record);
        }
        if (call.response() != null) {
            LangChain4jMapper.response(call.response(), record);
        }
        if (call.spec().streaming) {
            List<Object> items = call.streamItems();
            if (!items.isEmpty()) {
                record.firstOutputEpochNanos = call.streamItemTime(0);
                if (call.response() == null) {
                    LangChain4jMapper.partialOutput(items, record);
                }
            }
        }
    }
}
