package dev.voicetrace.agent.anthropic;

import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.capture.SdkJson;

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
        AnthropicWireMapper.request(json.requestBody(call), record);
        String apiHost = SdkJson.apiHost(call.receiver());
        if (apiHost != null) {
            record.metadata.put("api_host", apiHost);
        }
        if (call.spec().streaming) {
            int first = AnthropicWireMapper.events(json.streamItems(call), record);
            if (first >= 0) {
                record.firstOutputEpochNanos = call.streamItemTime(first);
            }
        } else if (call.response() != null) {
            AnthropicWireMapper.response(json.response(call), record);
        }
    }
}
