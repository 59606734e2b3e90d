package dev.voicetrace.agent.anthropic;

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
import dev.voicetrace.agent.model.ConversationHistory;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps Anthropic Messages API payloads (the documented wire JSON of {@code POST /v1/messages},
 * its {@code message} response and its server-sent events) onto a {@link StageRecord}. Pure
 * functions of JSON, like the OpenAI mapper: SDK objects, raw HTTP bodies and recorded payloads
 * all go through the same code.
 */
public final class AnthropicWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    /** Request fields that are model parameters, in the order Langfuse shows them. */
    private static final String[] PARAMETERS = {
        "max_tokens", "temperature", "top_p", "top_k", "stop_sequences"
    };

    private AnthropicWireMapper() {}

    /**
     * The request: model parameters, and as input the conversation with the system prompt (a
     * string or text blocks) as its first message, then the tools and the tool choice.
     */
    public static void request(JsonNode body, StageRecord record) {
        record.model = text(body, "model");
        copyParameters(body, PARAMETERS, record);
        ArrayNode messages = JSON.arrayNode();
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            ObjectNode systemMessage = messages.addObject();
            systemMessage.put("role", "system");
            systemMessage.set("content", system);
        }
        JsonNode conversation = body.path("messages");
        for (JsonNode message : conversation) {
            messages.add(message);
        }
        ObjectNode input = JSON.objectNode();
        input.set("messages", messages);
        copyIfPresent(body, input, "tools");
        copyIfPresent(body, input, "tool_choice");
        record.input = input;
        record.inputText = lastUserText(conversation);
        record.historyTexts = ConversationHistory.of(conversation, message -> blocksText(message.path("content")));
    }

    /** A {@code message} response: its content blocks (text, tool use), stop reason and usage. */
    public static void response(JsonNode message, StageRecord record) {
        String model = text(message, "model");
        if (model != null) {
            record.model = model;
        }
        putMetadata(record, "response_id", text(message, "id"));
        putMetadata(record, "finish_reason", text(message, "stop_reason"));
        putMetadata(record, "stop_sequence", text(message, "stop_sequence"));
        JsonNode content = message.path("content");
        ObjectNode output = JSON.objectNode();
        output.put("role", text(message, "role") == null ? "assistant" : text(message, "role"));
        output.set("content", content.isArray() ? content : JSON.arrayNode());
        record.output = output;
        record.outputText = blocksText(content);
        usage(message.path("usage"), record);
    }

    /**
     * Reassembles a streamed message from its events: {@code message_start} (id, model, input
     * usage), content blocks opened by {@code content_block_start} and grown by
     * {@code content_block_delta} ({@code text_delta}, {@code input_json_delta} fragments of a
     * tool call's input, {@code thinking_delta}), then {@code message_delta} (stop reason, output
     * usage). The result has the shape of a non-streamed response.
     *
     * @return the index of the first event that carried text or tool input, or -1
     */
    public static int events(List<JsonNode> events, StageRecord record) {
        ObjectNode message = JSON.objectNode();
        message.put("role", "assistant");
        ObjectNode usage = JSON.objectNode();
        Map<Integer, ObjectNode> blocks = new TreeMap<>();
        Map<Integer, StringBuilder> partialJson = new TreeMap<>();
        int firstOutput = -1;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String type = text(event, "type");
            if (type == null) {
                continue;
            }
            switch (type) {
                case "message_start": {
                    JsonNode start = event.path("message");
                    copyIfPresent(start, message, "id");
                    copyIfPresent(start, message, "model");
                    copyIfPresent(start, message, "role");
                    mergeUsage(usage, start.path("usage"));
                    break;
                }
                case "content_block_start": {
                    JsonNode block = event.path("content_block");
                    if (block.isObject()) {
                        ObjectNode copy = ((ObjectNode) block).deepCopy();
                        blocks.put(event.path("index").asInt(blocks.size()), copy);
                        if ("text".equals(text(copy, "type")) && !copy.path("text").asText("").isEmpty()) {
                            firstOutput = firstOutput < 0 ? i : firstOutput;
                        }
                    }
                    break;
                }
                case "content_block_delta": {
                    int index = event.path("index").asInt(0);
                    ObjectNode block = blocks.computeIfAbsent(index, k -> JSON.objectNode());
                    JsonNode delta = event.path("delta");
                    String deltaType = text(delta, "type");
                    if ("text_delta".equals(deltaType)) {
                        String piece = delta.path("text").asText("");
                        if (!block.has("type")) {
                            block.put("type", "text");
                        }
                        block.put("text", block.path("text").asText("") + piece);
                        if (!piece.isEmpty()) {
                            firstOutput = firstOutput < 0 ? i : firstOutput;
                        }
                    } else if ("input_json_delta".equals(deltaType)) {
                        partialJson.computeIfAbsent(index, k -> new StringBuilder())
                                .append(delta.path("partial_json").asText(""));
                        firstOutput = firstOutput < 0 ? i : firstOutput;
                    } else if ("thinking_delta".equals(deltaType)) {
                        block.put("thinking", block.path("thinking").asText("") + delta.path("thinking").asText(""));
                    } else if ("signature_delta".equals(deltaType)) {
                        block.put("signature", delta.path("signature").asText(""));
                    }
                    break;
                }
                case "message_delta": {
                    JsonNode delta = event.path("delta");
                    copyIfPresent(delta, message, "stop_reason");
                    copyIfPresent(delta, message, "stop_sequence");
                    mergeUsage(usage, event.path("usage"));
                    break;
                }
                default:
                    // content_block_stop, message_stop, ping: nothing to keep
                    break;
            }
        }
        for (Map.Entry<Integer, StringBuilder> entry : partialJson.entrySet()) {
            ObjectNode block = blocks.get(entry.getKey());
            block.set("input", parseToolInput(entry.getValue().toString()));
        }
        ArrayNode content = message.putArray("content");
        blocks.values().forEach(content::add);
        message.set("usage", usage);
        response(message, record);
        return firstOutput;
    }

    /**
     * Anthropic's usage: {@code input_tokens} counts only the input after the last cache
     * breakpoint; cache reads and cache writes are reported beside it. The record's {@code input}
     * is the whole input, with the cache counts as its parts.
     */
    static void usage(JsonNode usage, StageRecord record) {
        if (!usage.isObject()) {
            return;
        }
        long cacheReads = usage.path("cache_read_input_tokens").asLong(0);
        long cacheWrites = usage.path("cache_creation_input_tokens").asLong(0);
        if (usage.path("input_tokens").isNumber()) {
            record.usage.put("input", usage.get("input_tokens").asLong() + cacheReads + cacheWrites);
        }
        putUsage(record, "output", usage.path("output_tokens"));
        putUsage(record, "input_cached_tokens", usage.path("cache_read_input_tokens"));
        putUsage(record, "input_cache_creation_tokens", usage.path("cache_creation_input_tokens"));
        if (usage.path("input_tokens").isNumber() || usage.path("output_tokens").isNumber()) {
            long total = usage.path("input_tokens").asLong(0) + usage.path("output_tokens").asLong(0)
                    + cacheReads + cacheWrites;
            record.usage.put("total", total);
        }
    }

    /** Later events carry cumulative counts: a number replaces the earlier one, null keeps it. */
    private static void mergeUsage(ObjectNode into, JsonNode from) {
        if (!from.isObject()) {
            return;
        }
        from.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() || !into.has(field.getKey())) {
                into.set(field.getKey(), field.getValue());
            }
        });
    }

    private static JsonNode parseToolInput(String json) {
        if (json.isEmpty()) {
            return JSON.objectNode();
        }
        try {
            return Json.read(json);
        } catch (IOException e) {
            // an interrupted stream leaves a fragment: keep it as it came
            return JSON.textNode(json);
        }
    }

    /**
     * Text of the latest user message that has any: a string content, or its text blocks joined.
     * A user message that only returns tool results is not something the user said, so the one
     * before it counts.
     */
    static String lastUserText(JsonNode messages) {
        if (!messages.isArray()) {
            return null;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(text(message, "role"))) {
                continue;
            }
            JsonNode content = message.path("content");
            String text = content.isTextual() ? content.asText() : blocksText(content);
            if (text != null && !text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    /** The text blocks of a content array joined; tool use, tool results and images are skipped. */
    static String blocksText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(text(block, "type")) && block.hasNonNull("text")) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(block.get("text").asText());
            }
        }
        return text.toString();
    }

}
