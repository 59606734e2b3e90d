package dev.voicetrace.agent.anthropic;

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
 * Tool calls in Anthropic's Messages shape: {@code tool_use} content blocks of a reply
 * ({@code id}, {@code name}, {@code input}) and {@code tool_result} blocks of a later user message
 * ({@code tool_use_id}, {@code content} as a string or content blocks, {@code is_error}).
 * Bedrock's InvokeModel with an Anthropic body has the same shape.
 */
public final class AnthropicToolCalls implements ToolCallReader {

    public static final AnthropicToolCalls INSTANCE = new AnthropicToolCalls();

    private AnthropicToolCalls() {}

    @Override
    public List<ToolCall> requestedCalls(JsonNode output) {
        if (output == null) {
            return Collections.emptyList();
        }
        List<ToolCall> calls = new ArrayList<>(1);
        for (JsonNode block : output.path("content")) {
            if ("tool_use".equals(text(block, "type")) || "server_tool_use".equals(text(block, "type"))) {
                calls.add(new ToolCall(text(block, "id"), text(block, "name"), ToolJson.fromWire(block.get("input"))));
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
            if (!"user".equals(text(message, "role"))) {
                continue;
            }
            for (JsonNode block : message.path("content")) {
                if ("tool_result".equals(text(block, "type"))) {
                    results.add(new ToolResult(text(block, "tool_use_id"), null, content(block.path("content")),
                            block.path("is_error").asBoolean(false)));
                }
            }
        }
        return results;
    }

    private static JsonNode content(JsonNode content) {
        if (content.isArray()) {
            String joined = AnthropicWireMapper.blocksText(content);
            return joined.isEmpty() ? content : ToolJson.fromText(joined);
        }
        return ToolJson.fromWire(content);
    }
}
