package dev.voicetrace.agent.bedrock;

import dev.voicetrace.agent.json.Json;
import static dev.voicetrace.agent.json.WireFields.copyIfPresent;
import static dev.voicetrace.agent.json.WireFields.copyParameters;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.putUsage;
import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.anthropic.AnthropicWireMapper;
import dev.voicetrace.agent.model.ConversationHistory;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps Amazon Bedrock Runtime payloads onto a {@link StageRecord}: the Converse API's wire JSON
 * (messages of content blocks, {@code system}, {@code toolConfig}, {@code inferenceConfig}; the
 * output message, {@code stopReason}, {@code usage}), the events of {@code ConverseStream}, and
 * the provider bodies of {@code InvokeModel} (Anthropic Messages, Amazon Nova, Amazon Titan Text).
 * Pure functions of JSON.
 */
public final class BedrockWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    private static final String[] INFERENCE_PARAMETERS = {
        "maxTokens", "max_new_tokens", "temperature", "topP", "top_p", "topK", "top_k", "stopSequences"
    };
    private static final String[] TITAN_PARAMETERS = {"maxTokenCount", "temperature", "topP", "stopSequences"};

    /** Cross-region inference profiles put a geography before the model id. */
    private static final String[] PROFILE_PREFIXES = {"us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.", "global."};

    private BedrockWireMapper() {}

    /**
     * The model as priced: a model id or inference profile id without its geography prefix
     * ({@code us.anthropic.claude-...} is {@code anthropic.claude-...}), or the last part of an ARN.
     */
    public static String modelName(String modelId) {
        if (modelId == null) {
            return null;
        }
        String model = modelId;
        if (model.startsWith("arn:")) {
            model = model.substring(model.lastIndexOf('/') + 1);
        }
        for (String prefix : PROFILE_PREFIXES) {
            if (model.startsWith(prefix)) {
                return model.substring(prefix.length());
            }
        }
        return model;
    }

    /** A {@code Converse} or {@code ConverseStream} request. */
    public static void converseRequest(JsonNode request, StageRecord record) {
        setModel(text(request, "modelId"), record);
        JsonNode inference = request.path("inferenceConfig");
        copyParameters(inference, INFERENCE_PARAMETERS, record);
        ArrayNode messages = JSON.arrayNode();
        JsonNode system = request.get("system");
        if (system != null && system.isArray() && system.size() > 0) {
            ObjectNode systemMessage = messages.addObject();
            systemMessage.put("role", "system");
            systemMessage.set("content", system);
        }
        JsonNode conversation = request.path("messages");
        conversation.forEach(messages::add);
        ObjectNode input = JSON.objectNode();
        input.set("messages", messages);
        copyIfPresent(request, input, "toolConfig");
        record.input = input;
        record.inputText = lastUserText(conversation);
        record.historyTexts = ConversationHistory.of(conversation, message -> blocksText(message.path("content")));
    }

    /** A {@code Converse} response: the output message, stop reason, usage and latency. */
    public static void converseResponse(JsonNode response, StageRecord record) {
        putMetadata(record, "finish_reason", text(response, "stopReason"));
        putMetadata(record, "latency_ms", text(response.path("metrics"), "latencyMs"));
        JsonNode message = response.path("output").path("message");
        ObjectNode output = JSON.objectNode();
        output.put("role", text(message, "role") == null ? "assistant" : text(message, "role"));
        output.set("content", message.path("content").isArray() ? message.get("content") : JSON.arrayNode());
        record.output = output;
        record.outputText = blocksText(message.path("content"));
        usage(response.path("usage"), record);
    }

    /**
     * Reassembles a {@code ConverseStream} response from its events, each an object with one
     * member named by its event type: {@code messageStart} (role), {@code contentBlockStart} (a
     * tool use's id and name), {@code contentBlockDelta} (text, a fragment of a tool use's input
     * JSON, reasoning text), {@code contentBlockStop}, {@code messageStop} (stop reason) and
     * {@code metadata} (usage, metrics). The result has the shape of a {@code Converse} response.
     *
     * @return the index of the first event that carried text or tool input, or -1
     */
    public static int converseStreamEvents(List<JsonNode> events, StageRecord record) {
        ObjectNode message = JSON.objectNode();
        message.put("role", "assistant");
        Map<Integer, ObjectNode> blocks = new TreeMap<>();
        Map<Integer, StringBuilder> toolInput = new TreeMap<>();
        ObjectNode response = JSON.objectNode();
        int first = -1;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (event.has("messageStart")) {
                copyIfPresent(event.get("messageStart"), message, "role");
            } else if (event.has("contentBlockStart")) {
                JsonNode start = event.get("contentBlockStart");
                JsonNode toolUse = start.path("start").path("toolUse");
                if (toolUse.isObject()) {
                    ObjectNode block = blocks.computeIfAbsent(start.path("contentBlockIndex").asInt(blocks.size()),
                            k -> JSON.objectNode());
                    block.set("toolUse", toolUse.deepCopy());
                }
            } else if (event.has("contentBlockDelta")) {
                JsonNode delta = event.get("contentBlockDelta");
                int index = delta.path("contentBlockIndex").asInt(0);
                ObjectNode block = blocks.computeIfAbsent(index, k -> JSON.objectNode());
                JsonNode body = delta.path("delta");
                if (body.hasNonNull("text")) {
                    String piece = body.get("text").asText();
                    block.put("text", block.path("text").asText("") + piece);
                    if (!piece.isEmpty() && first < 0) {
                        first = i;
                    }
                } else if (body.path("toolUse").has("input")) {
                    toolInput.computeIfAbsent(index, k -> new StringBuilder())
                            .append(body.path("toolUse").path("input").asText(""));
                    first = first < 0 ? i : first;
                } else if (body.path("reasoningContent").isObject()) {
                    ObjectNode reasoning = block.has("reasoningContent") ? (ObjectNode) block.get("reasoningContent")
                            : block.putObject("reasoningContent");
                    JsonNode piece = body.get("reasoningContent");
                    if (piece.hasNonNull("text")) {
                        ObjectNode reasoningText = reasoning.has("reasoningText")
                                ? (ObjectNode) reasoning.get("reasoningText") : reasoning.putObject("reasoningText");
                        reasoningText.put("text", reasoningText.path("text").asText("") + piece.get("text").asText());
                    }
                }
            } else if (event.has("messageStop")) {
                copyIfPresent(event.get("messageStop"), response, "stopReason");
            } else if (event.has("metadata")) {
                copyIfPresent(event.get("metadata"), response, "usage");
                copyIfPresent(event.get("metadata"), response, "metrics");
            }
        }
        for (Map.Entry<Integer, StringBuilder> entry : toolInput.entrySet()) {
            ObjectNode block = blocks.get(entry.getKey());
            ObjectNode toolUse = block.has("toolUse") ? (ObjectNode) block.get("toolUse") : block.putObject("toolUse");
            toolUse.set("input", parseJson(entry.getValue().toString()));
        }
        ArrayNode content = message.putArray("content");
        blocks.values().forEach(content::add);
        response.putObject("output").set("message", message);
        converseResponse(response, record);
        return first;
    }

    /** An {@code InvokeModel} request body, read by its provider's shape. */
    public static void invokeModelRequest(String modelId, JsonNode body, StageRecord record) {
        if (body.has("anthropic_version") || (body.has("messages") && body.has("max_tokens"))) {
            AnthropicWireMapper.request(body, record);
        } else if (body.has("inputText")) {
            copyParameters(body.path("textGenerationConfig"), TITAN_PARAMETERS, record);
            ObjectNode input = JSON.objectNode();
            input.set("inputText", body.get("inputText"));
            record.input = input;
            record.inputText = text(body, "inputText");
        } else if (body.has("messages")) {
            // Amazon Nova's messages-v1 body: the Converse shape without the model id
            converseRequest(body, record);
        } else {
            // another provider's body (Meta, Mistral, Cohere, ...): kept as it was sent
            record.input = body;
        }
        setModel(modelId, record);
    }

    /** An {@code InvokeModel} response body, read by its provider's shape. */
    public static void invokeModelResponse(JsonNode body, StageRecord record) {
        String model = record.model;
        if ("message".equals(text(body, "type")) || (body.has("content") && body.has("stop_reason"))) {
            AnthropicWireMapper.response(body, record);
        } else if (body.has("results")) {
            JsonNode result = body.path("results").path(0);
            putMetadata(record, "finish_reason", text(result, "completionReason"));
            ObjectNode output = JSON.objectNode();
            output.set("outputText", result.path("outputText"));
            record.output = output;
            record.outputText = text(result, "outputText");
            putUsage(record, "input", body.path("inputTextTokenCount"));
            long outputTokens = 0;
            boolean counted = false;
            for (JsonNode each : body.path("results")) {
                if (each.path("tokenCount").isNumber()) {
                    outputTokens += each.path("tokenCount").asLong();
                    counted = true;
                }
            }
            if (counted) {
                record.usage.put("output", outputTokens);
            }
            if (record.usage.containsKey("input") || counted) {
                record.usage.put("total", record.usage.getOrDefault("input", 0L) + outputTokens);
            }
        } else if (body.has("output")) {
            converseResponse(body, record);
        } else {
            record.output = body;
        }
        // the body's own model field (Anthropic's) names the model as its provider does
        if (model != null) {
            putMetadata(record, "response_model", record.model.equals(model) ? null : record.model);
            record.model = model;
        }
    }

    /**
     * Bedrock's usage: {@code inputTokens} excludes prompt-cache reads and writes, which are
     * reported beside it; {@code totalTokens} adds them all. Nova's InvokeModel body names the
     * cache counts {@code cacheReadInputTokenCount} and {@code cacheWriteInputTokenCount}. The
     * record's {@code input} is the whole input, with the cache counts as its parts.
     */
    static void usage(JsonNode usage, StageRecord record) {
        if (!usage.isObject()) {
            return;
        }
        JsonNode cacheRead = usage.has("cacheReadInputTokens") ? usage.get("cacheReadInputTokens")
                : usage.path("cacheReadInputTokenCount");
        JsonNode cacheWrite = usage.has("cacheWriteInputTokens") ? usage.get("cacheWriteInputTokens")
                : usage.path("cacheWriteInputTokenCount");
        if (usage.path("inputTokens").isNumber()) {
            record.usage.put("input", usage.get("inputTokens").asLong() + cacheRead.asLong(0) + cacheWrite.asLong(0));
        }
        putUsage(record, "output", usage.path("outputTokens"));
        putUsage(record, "input_cached_tokens", cacheRead);
        putUsage(record, "input_cache_creation_tokens", cacheWrite);
        long sum = usage.path("inputTokens").asLong(0) + usage.path("outputTokens").asLong(0)
                + cacheRead.asLong(0) + cacheWrite.asLong(0);
        if (usage.path("totalTokens").isNumber()) {
            // some models report a total without the cache counts: the cost split needs them in it
            record.usage.put("total", Math.max(usage.get("totalTokens").asLong(), sum));
        } else if (usage.path("inputTokens").isNumber() || usage.path("outputTokens").isNumber()) {
            record.usage.put("total", sum);
        }
    }

    private static void setModel(String modelId, StageRecord record) {
        if (modelId == null) {
            return;
        }
        record.model = modelName(modelId);
        if (!modelId.equals(record.model)) {
            putMetadata(record, "model_id", modelId);
        }
    }

    private static JsonNode parseJson(String json) {
        if (json.isEmpty()) {
            return JSON.objectNode();
        }
        try {
            return Json.read(json);
        } catch (IOException e) {
            return JSON.textNode(json);
        }
    }

    /** Text of the latest user message that has any; a message of tool results only does not count. */
    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(text(message, "role"))) {
                continue;
            }
            String text = blocksText(message.path("content"));
            if (!text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    /** The text blocks of a content array joined; tool use, tool results, images and reasoning are skipped. */
    static String blocksText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (block.hasNonNull("text")) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(block.get("text").asText());
            }
        }
        return text.toString();
    }
}
