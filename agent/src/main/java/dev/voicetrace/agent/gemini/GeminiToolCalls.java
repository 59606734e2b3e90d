package dev.voicetrace.agent.gemini;

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
 * Tool calls in Gemini's shape: {@code functionCall} parts of a reply ({@code name}, {@code args},
 * an {@code id} only where the API gives one) and {@code functionResponse} parts of the request
 * ({@code name}, {@code response}). Without ids, results are matched to calls by name and order,
 * so only the responses after the conversation's last {@code model} content count: those are the
 * answers to the latest reply, not to an earlier round.
 */
public final class GeminiToolCalls implements ToolCallReader {

    public static final GeminiToolCalls INSTANCE = new GeminiToolCalls();

    private GeminiToolCalls() {}

    @Override
    public List<ToolCall> requestedCalls(JsonNode output) {
        if (output == null) {
            return Collections.emptyList();
        }
        List<ToolCall> calls = new ArrayList<>(1);
        for (JsonNode part : output.path("parts")) {
            JsonNode call = part.path("functionCall");
            if (call.isObject()) {
                calls.add(new ToolCall(text(call, "id"), text(call, "name"), ToolJson.fromWire(call.get("args"))));
            }
        }
        return calls;
    }

    @Override
    public List<ToolResult> results(JsonNode input) {
        if (input == null) {
            return Collections.emptyList();
        }
        JsonNode messages = input.path("messages");
        int first = messages.size();
        while (first > 0 && !"model".equals(text(messages.get(first - 1), "role"))) {
            first--;
        }
        // The model content they answer repeats its calls: the n-th response of a name answers the
        // n-th call of that name.
        List<ToolCall> asked = first > 0 ? requestedCalls(messages.get(first - 1)) : Collections.emptyList();
        List<ToolResult> results = new ArrayList<>(1);
        for (int i = first; i < messages.size(); i++) {
            for (JsonNode part : messages.get(i).path("parts")) {
                JsonNode response = part.path("functionResponse");
                if (response.isObject()) {
                    String name = text(response, "name");
                    ToolCall call = takeNamed(asked, name);
                    results.add(new ToolResult(text(response, "id"), name,
                            ToolJson.fromWire(response.get("response")), false, call == null ? null : call.arguments));
                }
            }
        }
        return results;
    }

    private static ToolCall takeNamed(List<ToolCall> calls, String name) {
        for (int i = 0; i < calls.size(); i++) {
            if (name != null && name.equals(calls.get(i).name)) {
                return calls.remove(i);
            }
        }
        return null;
    }
}
