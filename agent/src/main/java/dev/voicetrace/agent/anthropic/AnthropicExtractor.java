package dev.voicetrace.agent.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.openai.SdkJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads anthropic-java calls: the SDK's request, message and stream event objects become the
 * Messages API's wire JSON (through the SDK's own Jackson mapper), which
 * {@link AnthropicWireMapper} maps.
 */
final class AnthropicExtractor implements CallExtractor {

    static final String OBJECT_MAPPERS = "com.anthropic.core.ObjectMappers";

    private final SdkJson json = new SdkJson(OBJECT_MAPPERS);

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        if (!AnthropicOperations.MESSAGES.equals(call.spec().operation)) {
            throw new IllegalArgumentException("unknown Anthropic operation " + call.spec().operation);
        }
        AnthropicWireMapper.request(json.requestBody(call.request()), record);
        if (call.spec().streaming) {
            List<Object> raw = call.streamItems();
            List<JsonNode> events = new ArrayList<>(raw.size());
            for (Object item : raw) {
                events.add(json.toJson(item));
            }
            int first = AnthropicWireMapper.events(events, record);
            if (first >= 0) {
                record.firstOutputEpochNanos = call.streamItemTime(first);
            }
        } else if (call.response() != null) {
            AnthropicWireMapper.response(json.toJson(call.response()), record);
        }
    }
}
