package dev.voicetrace.agent.gemini;

import static dev.voicetrace.agent.json.WireFields.copyIfPresent;
import static dev.voicetrace.agent.json.WireFields.copyParameters;
import static dev.voicetrace.agent.json.WireFields.putMetadata;
import static dev.voicetrace.agent.json.WireFields.putUsage;
import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.ConversationHistory;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;

/**
 * Maps Gemini API payloads (the documented wire JSON of {@code models/*:generateContent} and
 * {@code :streamGenerateContent}: contents with parts, {@code systemInstruction}, {@code tools},
 * {@code generationConfig}; candidates, {@code usageMetadata}) onto a {@link StageRecord}. Pure
 * functions of JSON: the client library's objects, raw bodies and recorded payloads all go
 * through the same code.
 */
public final class GeminiWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    /** {@code generationConfig} fields that are model parameters, in the order Langfuse shows them. */
    private static final String[] PARAMETERS = {
        "maxOutputTokens", "temperature", "topP", "topK", "candidateCount", "stopSequences",
        "presencePenalty", "frequencyPenalty", "seed", "responseMimeType", "thinkingConfig"
    };

    /** The request's top-level fields besides {@code contents} and {@code generationConfig}. */
    private static final String[] TOP_LEVEL = {
        "systemInstruction", "tools", "toolConfig", "safetySettings", "cachedContent"
    };

    /** Fields of the client library's request config that the API takes inside {@code generationConfig}. */
    private static final String[] GENERATION_CONFIG = {
        "temperature", "topP", "topK", "candidateCount", "maxOutputTokens", "stopSequences",
        "responseLogprobs", "logprobs", "presencePenalty", "frequencyPenalty", "seed", "responseMimeType",
        "responseSchema", "responseJsonSchema", "responseModalities", "mediaResolution", "speechConfig",
        "thinkingConfig"
    };

    private GeminiWireMapper() {}

    /**
     * The request body the API receives, from the client library's arguments as JSON: its
     * config object holds system instruction, tools and generation parameters side by side,
     * which the API splits into top-level fields and {@code generationConfig}. Everything else
     * in the config (HTTP options with their headers, say) is not part of the body and is left out.
     */
    public static ObjectNode requestBody(String model, JsonNode contents, JsonNode config) {
        ObjectNode body = JSON.objectNode();
        if (model != null) {
            body.put("model", model);
        }
        body.set("contents", contents != null && contents.isArray() ? contents : JSON.arrayNode());
        if (config != null && config.isObject()) {
            for (String field : TOP_LEVEL) {
                copyIfPresent(config, body, field);
            }
            ObjectNode generation = JSON.objectNode();
            for (String field : GENERATION_CONFIG) {
                copyIfPresent(config, generation, field);
            }
            if (generation.size() > 0) {
                body.set("generationConfig", generation);
            }
        }
        return body;
    }

    /**
     * The request: model, the generation parameters, and as input the conversation with the
     * system instruction as its first message (role {@code system}), then tools and tool config.
     */
    public static void request(JsonNode body, StageRecord record) {
        record.model = modelName(text(body, "model"));
        copyParameters(body.path("generationConfig"), PARAMETERS, record);
        ArrayNode messages = JSON.arrayNode();
        JsonNode system = body.get("systemInstruction");
        if (system != null && system.isObject()) {
            ObjectNode systemMessage = messages.addObject();
            systemMessage.put("role", "system");
            systemMessage.set("parts", system.path("parts"));
        } else if (system != null && system.isTextual()) {
            messages.addObject().put("role", "system").putArray("parts").addObject().put("text", system.asText());
        }
        JsonNode contents = body.path("contents");
        for (JsonNode content : contents) {
            messages.add(withoutInlineData(content));
        }
        ObjectNode input = JSON.objectNode();
        input.set("messages", messages);
        copyIfPresent(body, input, "tools");
        copyIfPresent(body, input, "toolConfig");
        record.input = input;
        record.inputText = lastUserText(contents);
        record.historyTexts = ConversationHistory.of(contents, content -> partsText(content.path("parts")));
    }

    /** A {@code GenerateContentResponse}: the first candidate's content, finish reason and usage. */
    public static void response(JsonNode response, StageRecord record) {
        putMetadata(record, "response_id", text(response, "responseId"));
        putMetadata(record, "model_version", text(response, "modelVersion"));
        if (record.model == null) {
            record.model = modelName(text(response, "modelVersion"));
        }
        JsonNode candidate = response.path("candidates").path(0);
        putMetadata(record, "finish_reason", text(candidate, "finishReason"));
        putMetadata(record, "block_reason", text(response.path("promptFeedback"), "blockReason"));
        JsonNode content = candidate.path("content");
        ObjectNode output = JSON.objectNode();
        output.put("role", text(content, "role") == null ? "model" : text(content, "role"));
        output.set("parts", content.path("parts").isArray() ? content.get("parts") : JSON.arrayNode());
        record.output = output;
        record.outputText = partsText(content.path("parts"));
        usage(response.path("usageMetadata"), record);
    }

    /**
     * Reassembles a streamed response from its chunks (each a {@code GenerateContentResponse}
     * with the next parts of the first candidate; the last one carries the finish reason and the
     * final usage). Adjacent text parts are joined; function calls are kept as they came.
     *
     * @return the index of the first chunk that carried text or a function call, or -1
     */
    public static int chunks(List<JsonNode> chunks, StageRecord record) {
        ObjectNode merged = JSON.objectNode();
        ArrayNode parts = JSON.arrayNode();
        String role = null;
        String finishReason = null;
        JsonNode usage = null;
        int first = -1;
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = chunks.get(i);
            copyIfPresent(chunk, merged, "responseId");
            copyIfPresent(chunk, merged, "modelVersion");
            copyIfPresent(chunk, merged, "promptFeedback");
            if (chunk.path("usageMetadata").isObject()) {
                usage = chunk.get("usageMetadata");
            }
            JsonNode candidate = chunk.path("candidates").path(0);
            if (text(candidate, "finishReason") != null) {
                finishReason = text(candidate, "finishReason");
            }
            JsonNode content = candidate.path("content");
            if (text(content, "role") != null) {
                role = text(content, "role");
            }
            for (JsonNode part : content.path("parts")) {
                boolean hasText = part.hasNonNull("text") && !part.get("text").asText().isEmpty();
                if (first < 0 && ((hasText && !part.path("thought").asBoolean(false)) || part.has("functionCall"))) {
                    first = i;
                }
                JsonNode last = parts.size() == 0 ? null : parts.get(parts.size() - 1);
                if (part.hasNonNull("text") && last != null && last.hasNonNull("text") && part.size() == 1
                        && last.size() == 1) {
                    ((ObjectNode) last).put("text", last.get("text").asText() + part.get("text").asText());
                } else if (part.hasNonNull("text") && last != null && last.hasNonNull("text")
                        && part.path("thought").asBoolean(false) && last.path("thought").asBoolean(false)) {
                    ((ObjectNode) last).put("text", last.get("text").asText() + part.get("text").asText());
                } else {
                    parts.add(part.deepCopy());
                }
            }
        }
        ObjectNode candidate = merged.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", role == null ? "model" : role);
        content.set("parts", parts);
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        if (usage != null) {
            merged.set("usageMetadata", usage);
        }
        response(merged, record);
        return first;
    }

    /**
     * Gemini's usage: {@code promptTokenCount} includes cached content
     * ({@code cachedContentTokenCount}); thinking ({@code thoughtsTokenCount}) is billed as
     * output but reported beside {@code candidatesTokenCount}, so output adds both;
     * {@code totalTokenCount} adds everything, tool-use prompt tokens included, which count as input.
     */
    static void usage(JsonNode usage, StageRecord record) {
        if (!usage.isObject()) {
            return;
        }
        JsonNode prompt = usage.path("promptTokenCount");
        JsonNode toolPrompt = usage.path("toolUsePromptTokenCount");
        JsonNode candidates = usage.path("candidatesTokenCount");
        JsonNode thoughts = usage.path("thoughtsTokenCount");
        if (prompt.isNumber() || toolPrompt.isNumber()) {
            record.usage.put("input", prompt.asLong(0) + toolPrompt.asLong(0));
        }
        if (candidates.isNumber() || thoughts.isNumber()) {
            record.usage.put("output", candidates.asLong(0) + thoughts.asLong(0));
        }
        putUsage(record, "input_cached_tokens", usage.path("cachedContentTokenCount"));
        putUsage(record, "output_reasoning_tokens", thoughts);
        putUsage(record, "input_tool_use_tokens", toolPrompt);
        if (usage.path("totalTokenCount").isNumber()) {
            putUsage(record, "total", usage.path("totalTokenCount"));
        } else if (record.usage.containsKey("input") || record.usage.containsKey("output")) {
            record.usage.put("total", record.usage.getOrDefault("input", 0L) + record.usage.getOrDefault("output", 0L));
        }
    }

    /**
     * The content with each inline blob (audio, image) replaced by its MIME type and decoded size:
     * the bytes themselves are not exported.
     */
    static JsonNode withoutInlineData(JsonNode content) {
        JsonNode parts = content.path("parts");
        boolean any = false;
        for (JsonNode part : parts) {
            any |= part.path("inlineData").has("data");
        }
        if (!any) {
            return content;
        }
        ObjectNode copy = content.deepCopy();
        for (JsonNode part : copy.path("parts")) {
            JsonNode blob = part.path("inlineData");
            if (blob.has("data")) {
                String data = blob.get("data").asText("");
                int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
                ((ObjectNode) blob).remove("data");
                ((ObjectNode) blob).put("bytes", Math.max(0, data.length() / 4 * 3 - padding));
            }
        }
        return copy;
    }

    /** {@code models/gemini-2.5-flash} and {@code gemini-2.5-flash} name the same model. */
    static String modelName(String model) {
        if (model == null) {
            return null;
        }
        int slash = model.lastIndexOf('/');
        return slash >= 0 ? model.substring(slash + 1) : model;
    }

    /**
     * Text of the latest user content that has any. A user turn that only returns function
     * responses is not something the user said, so the one before it counts.
     */
    static String lastUserText(JsonNode contents) {
        if (!contents.isArray()) {
            return null;
        }
        for (int i = contents.size() - 1; i >= 0; i--) {
            JsonNode content = contents.get(i);
            String role = text(content, "role");
            if (role != null && !"user".equals(role)) {
                continue;
            }
            String text = partsText(content.path("parts"));
            if (text != null && !text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    /** The text parts joined; thoughts, function calls and responses, and inline data are skipped. */
    static String partsText(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            if (part.hasNonNull("text") && !part.path("thought").asBoolean(false)) {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }
}
