package dev.voicetrace.agent.polly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;

/**
 * Reads a Polly call on the processing thread: the request's and response's public getters give
 * the fields of Polly's wire request and response headers, which {@link PollyWireMapper} maps.
 */
final class PollyExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        Object[] arguments = call.arguments();
        PollyWireMapper.request(requestFields(arguments[0]), record);
        ObjectNode headers = Json.NODES.objectNode();
        Object response = call.response();
        if (response != null) {
            put(headers, "ContentType", response, "contentType");
            put(headers, "RequestCharacters", response, "requestCharacters");
        }
        if (record.error == null || call.bodyBytes() > 0) {
            PollyWireMapper.response(headers, call.bodyBytes(), call.interrupted(), record);
        } else {
            // a request Polly refused synthesised nothing and is not billed
            record.characters = 0;
        }
    }

    static ObjectNode requestFields(Object request) throws ReflectiveOperationException {
        ObjectNode body = Json.NODES.objectNode();
        put(body, "Text", request, "text");
        put(body, "TextType", request, "textTypeAsString");
        put(body, "VoiceId", request, "voiceIdAsString");
        put(body, "OutputFormat", request, "outputFormatAsString");
        put(body, "Engine", request, "engineAsString");
        put(body, "SampleRate", request, "sampleRate");
        put(body, "LanguageCode", request, "languageCodeAsString");
        return body;
    }

    private static void put(ObjectNode node, String field, Object target, String getter) {
        Object value;
        try {
            value = SdkMembers.invoke(target, getter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return;
        }
        if (value instanceof Number) {
            node.put(field, ((Number) value).longValue());
        } else if (value != null) {
            node.put(field, value.toString());
        }
    }
}
