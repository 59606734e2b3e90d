package dev.voicetrace.agent.bedrock;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.awssdk.AwsPojoJson;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.SdkJson;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Bedrock Runtime calls: requests, responses and stream events are AWS SDK model objects,
 * read as their wire JSON through the SDK's field metadata ({@link AwsPojoJson}); an
 * {@code invokeModel} body is the model provider's own JSON. {@link BedrockWireMapper} maps them.
 */
final class BedrockExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        switch (call.spec().operation) {
            case BedrockOperations.CONVERSE:
                BedrockWireMapper.converseRequest(AwsPojoJson.toJson(call.request()), record);
                if (call.response() != null) {
                    BedrockWireMapper.converseResponse(AwsPojoJson.toJson(call.response()), record);
                }
                break;
            case BedrockOperations.CONVERSE_STREAM: {
                Object[] arguments = call.arguments();
                BedrockWireMapper.converseRequest(AwsPojoJson.toJson(arguments[0]), record);
                List<Object> items = call.streamItems();
                List<JsonNode> events = new ArrayList<>(items.size());
                for (Object item : items) {
                    events.add(event(item));
                }
                int first = BedrockWireMapper.converseStreamEvents(events, record);
                if (first >= 0) {
                    record.firstOutputEpochNanos = call.streamItemTime(first);
                }
                break;
            }
            case BedrockOperations.INVOKE_MODEL: {
                Object request = call.request();
                String modelId = (String) AwsPojoJson.member(request, "modelId");
                BedrockWireMapper.invokeModelRequest(modelId, body(AwsPojoJson.member(request, "body")), record);
                if (call.response() != null) {
                    BedrockWireMapper.invokeModelResponse(body(AwsPojoJson.member(call.response(), "body")), record);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown Bedrock operation " + call.spec().operation);
        }
    }

    /** A stream event as the wire names it: one member, the event type, holding its fields. */
    private static JsonNode event(Object item) throws ReflectiveOperationException {
        ObjectNode event = Json.object();
        Object type = SdkMembers.invoke(item, "sdkEventType");
        event.set(String.valueOf(type), AwsPojoJson.toJson(item));
        return event;
    }

    /** A provider body (JSON bytes); a body that is not JSON is kept as text. */
    private static JsonNode body(Object sdkBytes) throws ReflectiveOperationException {
        byte[] bytes = AwsPojoJson.bytes(sdkBytes);
        if (bytes == null) {
            return Json.object();
        }
        try {
            JsonNode json = Json.read(bytes);
            return json == null ? Json.object() : json;
        } catch (IOException e) {
            ObjectNode text = Json.object();
            text.put("body", AwsPojoJson.utf8(bytes));
            return text;
        }
    }
}
