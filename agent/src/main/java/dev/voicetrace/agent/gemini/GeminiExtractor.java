package dev.voicetrace.agent.gemini;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.SdkJson;
import dev.voicetrace.agent.model.StageRecord;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads google-genai calls: the arguments (model, contents, config) and the responses are the
 * library's {@code JsonSerializable} objects, whose public {@code toJson()} gives their JSON, which
 * {@link GeminiWireMapper} turns into the request body the API receives and maps.
 */
final class GeminiExtractor implements CallExtractor {


    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        Object[] arguments = call.arguments();
        String model = arguments.length > 0 && arguments[0] instanceof String ? (String) arguments[0] : null;
        ArrayNode contents = Json.array();
        if (arguments.length > 1 && arguments[1] instanceof List) {
            for (Object content : (List<?>) arguments[1]) {
                JsonNode json = toJson(content);
                if (json != null) {
                    contents.add(json);
                }
            }
        }
        JsonNode config = arguments.length > 2 ? toJson(arguments[2]) : null;
        GeminiWireMapper.request(GeminiWireMapper.requestBody(model, contents, config), record);
        if (call.spec().streaming) {
            List<Object> items = call.streamItems();
            List<JsonNode> chunks = new ArrayList<>(items.size());
            for (Object item : items) {
                chunks.add(responseJson(item));
            }
            int first = GeminiWireMapper.chunks(chunks, record);
            if (first >= 0) {
                record.firstOutputEpochNanos = call.streamItemTime(first);
            }
        } else if (call.response() != null) {
            GeminiWireMapper.response(responseJson(call.response()), record);
        }
    }

    /** A response as the API sent it: the library's copy of the HTTP headers is not part of it. */
    private static JsonNode responseJson(Object response) throws ReflectiveOperationException, java.io.IOException {
        JsonNode json = toJson(response);
        if (json instanceof ObjectNode) {
            ((ObjectNode) json).remove("sdkHttpResponse");
            return json;
        }
        return Json.object();
    }

    static JsonNode toJson(Object value) throws ReflectiveOperationException, java.io.IOException {
        if (value == null) {
            return null;
        }
        Method method = SdkMembers.method(value.getClass(), "toJson");
        if (method != null && !String.class.equals(method.getReturnType())) {
            method = null;
        }
        if (method == null) {
            return null;
        }
        SdkMembers.used(method);
        return Json.read((String) method.invoke(value));
    }
}
