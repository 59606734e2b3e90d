package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.json.Json;
import static dev.voicetrace.agent.capture.SdkMembers.get;
import static dev.voicetrace.agent.capture.SdkMembers.list;
import static dev.voicetrace.agent.capture.SdkMembers.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.model.ConversationHistory;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Spring AI's public objects ({@code Prompt} with its messages and {@code ChatOptions};
 * {@code ChatResponse} with its generations, finish reason, usage and model) onto a
 * {@link StageRecord} through their public getters. Messages take the OpenAI chat shape.
 */
public final class SpringAiMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    private static final String[][] PARAMETERS = {
        {"getTemperature", "temperature"},
        {"getMaxTokens", "max_tokens"},
        {"getMaxCompletionTokens", "max_completion_tokens"},
        {"getTopP", "top_p"},
        {"getTopK", "top_k"},
        {"getFrequencyPenalty", "frequency_penalty"},
        {"getPresencePenalty", "presence_penalty"},
        {"getStopSequences", "stop"},
    };

    private SpringAiMapper() {}

    /** The prompt: messages in order, model and parameters from its options, tools; the latest user text. */
    public static void request(Object prompt, StageRecord record) {
        ArrayNode messages = JSON.arrayNode();
        String latestUserText = null;
        for (Object message : list(prompt, "getInstructions")) {
            ObjectNode node = message(message);
            messages.add(node);
            if ("user".equals(node.path("role").asText()) && string(message, "getText") != null) {
                latestUserText = string(message, "getText");
            }
        }
        ObjectNode input = JSON.objectNode();
        input.set("messages", messages);
        Object options = get(prompt, "getOptions");
        if (options != null) {
            String model = string(options, "getModel");
            if (model != null) {
                record.model = model;
            }
            for (String[] parameter : PARAMETERS) {
                // Each options class has its own subset (getMaxCompletionTokens is OpenAI's): no drift.
                Object value = SdkMembers.probe(options, parameter[0]);
                if (value instanceof Number) {
                    record.modelParameters.put(parameter[1], value);
                } else if (value instanceof Collection && !((Collection<?>) value).isEmpty()) {
                    record.modelParameters.put(parameter[1], value.toString());
                }
            }
            ArrayNode tools = JSON.arrayNode();
            for (Object callback : list(options, "getToolCallbacks")) {
                Object definition = get(callback, "getToolDefinition");
                if (definition != null) {
                    tools.add(tool(definition));
                }
            }
            if (!tools.isEmpty()) {
                input.set("tools", tools);
            }
            putMetadata(record, "model_provider", moduleOf(options));
        }
        record.input = input;
        record.inputText = latestUserText;
        record.historyTexts = ConversationHistory.of(messages, ConversationHistory::plainText);
    }

    /** A {@code call} response: the first generation's message, finish reason, usage and model. */
    public static void response(Object chatResponse, StageRecord record) {
        Object generation = get(chatResponse, "getResult");
        Object output = get(generation, "getOutput");
        record.output = output == null ? JSON.objectNode().put("role", "assistant") : message(output);
        record.outputText = string(output, "getText");
        putFinishReason(generation, record);
        metadata(get(chatResponse, "getMetadata"), record);
    }

    /**
     * The responses of a stream: their texts joined into one reply, tool calls gathered, the
     * finish reason, usage and model from the last responses that carry them. Returns the index of
     * the first response with output (its arrival is the first token), or -1.
     */
    public static int streamedResponses(List<Object> responses, StageRecord record) {
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = JSON.arrayNode();
        int first = -1;
        for (int i = 0; i < responses.size(); i++) {
            Object response = responses.get(i);
            Object generation = get(response, "getResult");
            Object output = get(generation, "getOutput");
            String piece = string(output, "getText");
            if (piece != null && !piece.isEmpty()) {
                text.append(piece);
                if (first < 0) {
                    first = i;
                }
            }
            for (Object call : list(output, "getToolCalls")) {
                toolCalls.add(toolCall(call));
                if (first < 0) {
                    first = i;
                }
            }
            putFinishReason(generation, record);
            metadata(get(response, "getMetadata"), record);
        }
        ObjectNode message = JSON.objectNode();
        message.put("role", "assistant");
        if (text.length() > 0) {
            message.put("content", text.toString());
            record.outputText = text.toString();
        } else {
            message.putNull("content");
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        if (!responses.isEmpty()) {
            record.output = message;
        }
        return first;
    }

    private static void putFinishReason(Object generation, StageRecord record) {
        String reason = string(get(generation, "getMetadata"), "getFinishReason");
        if (reason != null && !reason.isEmpty()) {
            record.metadata.put("finish_reason", reason.toLowerCase(Locale.ROOT));
        }
    }

    /** Response metadata: id, model, usage; the provider behind the model from its native usage. */
    private static void metadata(Object metadata, StageRecord record) {
        if (metadata == null) {
            return;
        }
        String id = string(metadata, "getId");
        if (id != null && !id.isEmpty()) {
            record.metadata.put("response_id", id);
        }
        String model = string(metadata, "getModel");
        if (model != null && !model.isEmpty()) {
            record.model = model;
        }
        Object usage = get(metadata, "getUsage");
        Map<String, Long> counts = new LinkedHashMap<>();
        putCount(counts, "input", get(usage, "getPromptTokens"));
        putCount(counts, "output", get(usage, "getCompletionTokens"));
        putCount(counts, "total", get(usage, "getTotalTokens"));
        // A stream's chunks before the last report no usage (zeros): they do not overwrite it.
        if (counts.getOrDefault("total", 0L) > 0) {
            record.usage.putAll(counts);
        }
        if (!record.metadata.containsKey("model_provider")) {
            putMetadata(record, "model_provider", moduleOf(get(usage, "getNativeUsage")));
        }
    }

    private static void putCount(Map<String, Long> counts, String key, Object value) {
        if (value instanceof Number) {
            counts.put(key, ((Number) value).longValue());
        }
    }

    /**
     * The provider module an object comes from: Spring AI's own provider packages
     * ({@code org.springframework.ai.openai.OpenAiChatOptions} -> openai), or an SDK's root package
     * ({@code com.openai...} -> openai, {@code com.anthropic...} -> anthropic).
     */
    static String moduleOf(Object object) {
        if (object == null) {
            return null;
        }
        String name = object.getClass().getName();
        String prefix = "org.springframework.ai.";
        if (name.startsWith(prefix)) {
            String rest = name.substring(prefix.length());
            int dot = rest.indexOf('.');
            String module = dot < 0 ? null : rest.substring(0, dot);
            return module == null || "chat".equals(module) || "model".equals(module)
                    || "tool".equals(module) || "support".equals(module) ? null : module;
        }
        if (name.startsWith("com.openai.")) {
            return "openai";
        }
        if (name.startsWith("com.anthropic.")) {
            return "anthropic";
        }
        return null;
    }

    /** One message by its type: system, user, assistant (with tool calls), tool (its responses). */
    static ObjectNode message(Object message) {
        Object type = get(message, "getMessageType");
        String role = type == null ? "unknown" : string(type, "getValue");
        if (role == null) {
            role = type.toString().toLowerCase(Locale.ROOT);
        }
        ObjectNode node = JSON.objectNode();
        switch (role) {
            case "assistant": {
                node.put("role", "assistant");
                String text = string(message, "getText");
                if (text == null || text.isEmpty()) {
                    node.putNull("content");
                } else {
                    node.put("content", text);
                }
                ArrayNode calls = JSON.arrayNode();
                for (Object call : list(message, "getToolCalls")) {
                    calls.add(toolCall(call));
                }
                if (!calls.isEmpty()) {
                    node.set("tool_calls", calls);
                }
                return node;
            }
            case "tool": {
                node.put("role", "tool");
                ArrayNode responses = JSON.arrayNode();
                for (Object response : list(message, "getResponses")) {
                    ObjectNode result = responses.addObject();
                    putIfNotNull(result, "tool_call_id", string(response, "id"));
                    putIfNotNull(result, "name", string(response, "name"));
                    putIfNotNull(result, "content", string(response, "responseData"));
                }
                if (responses.size() == 1) {
                    node.setAll((ObjectNode) responses.get(0));
                } else {
                    node.set("content", responses);
                }
                return node;
            }
            default:
                node.put("role", role);
                putIfNotNull(node, "content", string(message, "getText"));
                return node;
        }
    }

    private static ObjectNode toolCall(Object call) {
        ObjectNode node = JSON.objectNode();
        putIfNotNull(node, "id", string(call, "id"));
        node.put("type", "function");
        ObjectNode function = node.putObject("function");
        putIfNotNull(function, "name", string(call, "name"));
        putIfNotNull(function, "arguments", string(call, "arguments"));
        return node;
    }

    private static ObjectNode tool(Object definition) {
        ObjectNode tool = JSON.objectNode();
        tool.put("type", "function");
        ObjectNode function = tool.putObject("function");
        putIfNotNull(function, "name", string(definition, "name"));
        putIfNotNull(function, "description", string(definition, "description"));
        String schema = string(definition, "inputSchema");
        if (schema != null) {
            try {
                JsonNode parsed = Json.read(schema);
                if (parsed != null && parsed.isObject()) {
                    function.set("parameters", parsed);
                }
            } catch (IOException e) {
                // a schema that is not JSON is left out
            }
        }
        return tool;
    }

    private static void putMetadata(StageRecord record, String key, String value) {
        if (value != null) {
            record.metadata.put(key, value);
        }
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
