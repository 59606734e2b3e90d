package dev.voicetrace.agent.bedrock;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.anthropic.AnthropicToolCalls;
import dev.voicetrace.agent.tools.ToolCall;
import dev.voicetrace.agent.tools.ToolCallReader;
import dev.voicetrace.agent.tools.ToolJson;
import dev.voicetrace.agent.tools.ToolResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tool calls in Bedrock Converse's shape: {@code toolUse} blocks of the output message
 * ({@code toolUseId}, {@code name}, {@code input}) and {@code toolResult} blocks of a later user
 * message ({@code toolUseId}, {@code content} of text or JSON blocks, {@code status}). InvokeModel
 * calls with an Anthropic body are read in Anthropic's shape.
 */
public final class BedrockToolCalls implements ToolCallReader {

    public static final BedrockToolCalls INSTANCE = new BedrockToolCalls();

    private BedrockToolCalls() {}

    @Override
    public List<ToolCall> requestedCalls(JsonNode output) {
        if (output == null) {
            return Collections.emptyList();
        }
        List<ToolCall> calls = new ArrayList<>(1);
        for (JsonNode block : output.path("content")) {
            JsonNode toolUse = block.path("toolUse");
            if (toolUse.isObject()) {
                calls.add(new ToolCall(text(toolUse, "toolUseId"), text(toolUse, "name"),
                        ToolJson.fromWire(toolUse.get("input"))));
            }
        }
        return calls.isEmpty() ? AnthropicToolCalls.INSTANCE.requestedCalls(output) : calls;
    }

    @Override
    public List<ToolResult> results(JsonNode input) {
        if (input == null) {
            return Collections.emptyList();
        }
        List<ToolResult> results = new ArrayList<>(1);
        for (JsonNode message : input.path("messages")) {
            for (JsonNode block : message.path("content")) {
                JsonNode result = block.path("toolResult");
                if (result.isObject()) {
                    results.add(new ToolResult(text(result, "toolUseId"), null, content(result.path("content")),
                            "error".equals(text(result, "status"))));
                }
            }
        }
        return results.isEmpty() ? AnthropicToolCalls.INSTANCE.results(input) : results;
    }

    /** One text block as its text (JSON text as JSON), one JSON block as its JSON, else the blocks. */
    private static JsonNode content(JsonNode content) {
        if (content.isArray() && content.size() == 1) {
            JsonNode only = content.get(0);
            if (only.hasNonNull("text")) {
                return ToolJson.fromText(only.get("text").asText());
            }
            if (only.has("json")) {
                return only.get("json");
            }
        }
        return content.isMissingNode() ? null : content;
    }
}
