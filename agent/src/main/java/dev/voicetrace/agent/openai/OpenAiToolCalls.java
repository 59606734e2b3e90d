package dev.voicetrace.agent.openai;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.tools.ToolCall;
import dev.voicetrace.agent.tools.ToolCallReader;
import dev.voicetrace.agent.tools.ToolJson;
import dev.voicetrace.agent.tools.ToolResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tool calls in OpenAI's wire shapes. Chat completions: the reply message's {@code tool_calls}
 * ({@code id}, {@code function.name}, {@code function.arguments} as JSON text) and the request's
 * {@code role: tool} messages ({@code tool_call_id}, {@code content}). Responses API: output items
 * of type {@code function_call} ({@code call_id}, {@code name}, {@code arguments}) and input items
 * of type {@code function_call_output} ({@code call_id}, {@code output}); custom tools likewise.
 * LangChain4j and Spring AI calls are recorded in the chat completions shape and read here too.
 */
public final class OpenAiToolCalls implements ToolCallReader {

    public static final OpenAiToolCalls INSTANCE = new OpenAiToolCalls();

    private OpenAiToolCalls() {}

    @Override
    public List<ToolCall> requestedCalls(JsonNode output) {
        if (output == null) {
            return Collections.emptyList();
        }
        List<ToolCall> calls = new ArrayList<>(1);
        for (JsonNode call : output.path("tool_calls")) {
            JsonNode custom = call.path("custom");
            if (custom.isObject()) {
                calls.add(new ToolCall(text(call, "id"), text(custom, "name"), ToolJson.fromWire(custom.get("input"))));
            } else {
                JsonNode function = call.path("function");
                calls.add(new ToolCall(text(call, "id"), text(function, "name"),
                        ToolJson.fromWire(function.get("arguments"))));
            }
        }
        if (output.isArray()) {
            for (JsonNode item : output) {
                String type = text(item, "type");
                if ("function_call".equals(type)) {
                    calls.add(new ToolCall(text(item, "call_id"), text(item, "name"),
                            ToolJson.fromWire(item.get("arguments"))));
                } else if ("custom_tool_call".equals(type)) {
                    calls.add(new ToolCall(text(item, "call_id"), text(item, "name"),
                            ToolJson.fromWire(item.get("input"))));
                }
            }
        }
        return calls;
    }

    @Override
    public List<ToolResult> results(JsonNode input) {
        if (input == null) {
            return Collections.emptyList();
        }
        List<ToolResult> results = new ArrayList<>(1);
        for (JsonNode message : input.path("messages")) {
            if (!"tool".equals(text(message, "role"))) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isArray() && content.size() > 0 && content.get(0).has("tool_call_id")) {
                // Spring AI's tool message answering several calls at once.
                for (JsonNode response : content) {
                    results.add(new ToolResult(text(response, "tool_call_id"), text(response, "name"),
                            ToolJson.fromWire(response.get("content")), false));
                }
            } else {
                results.add(new ToolResult(text(message, "tool_call_id"), text(message, "name"),
                        resultContent(content), false));
            }
        }
        for (JsonNode item : input.path("input")) {
            String type = text(item, "type");
            if ("function_call_output".equals(type) || "custom_tool_call_output".equals(type)) {
                results.add(new ToolResult(text(item, "call_id"), null, resultContent(item.path("output")), false));
            }
        }
        return results;
    }

    /** A tool message's content: a string (often JSON text), or text parts joined. */
    private static JsonNode resultContent(JsonNode content) {
        if (content.isArray()) {
            String joined = OpenAiWireMapper.contentText(content);
            return joined == null || joined.isEmpty() ? content : ToolJson.fromText(joined);
        }
        return ToolJson.fromWire(content);
    }
}
