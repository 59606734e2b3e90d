package dev.voicetrace.agent.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry's GenAI semantic conventions on a generation span, for backends other than
 * Langfuse: operation and provider names, request and response model, request parameters, token
 * usage, finish reasons, and, when content is captured, the messages as
 * {@code gen_ai.input.messages} / {@code gen_ai.output.messages} JSON.
 *
 * <p>Langfuse reads its own {@code langfuse.observation.*} keys first: usage from
 * {@code usage_details} (then {@code gen_ai.usage.*} are ignored, so tokens are never counted
 * twice), parameters from {@code model.parameters}, input and output from
 * {@code langfuse.observation.input} / {@code .output}. So the message attributes are only
 * written for the OTLP sink: to Langfuse they would only double the request size.
 */
final class GenAiConventions {

    private static final JsonNodeFactory JSON = Json.NODES;

    /** Voicetrace's provider ids -> {@code gen_ai.provider.name} (well-known values where there is one). */
    private static final Map<String, String> PROVIDERS = new LinkedHashMap<>();
    /** Request parameters the conventions name, from the providers' own parameter names. */
    private static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

    static {
        PROVIDERS.put("openai", "openai");
        PROVIDERS.put("anthropic", "anthropic");
        PROVIDERS.put("google", "gcp.gen_ai");
        PROVIDERS.put("bedrock", "aws.bedrock");
        PROVIDERS.put("aws-polly", "aws.polly");
        PROVIDERS.put("aws-transcribe", "aws.transcribe");
        PROVIDERS.put("google-speech", "gcp.speech");
        PROVIDERS.put("google-texttospeech", "gcp.texttospeech");
        for (String[] names : new String[][] {
                {"temperature", "temperature"},
                {"max_tokens", "max_tokens"}, {"max_completion_tokens", "max_tokens"},
                {"max_output_tokens", "max_tokens"}, {"maxTokens", "max_tokens"}, {"maxOutputTokens", "max_tokens"},
                {"top_p", "top_p"}, {"topP", "top_p"}, {"top_k", "top_k"}, {"topK", "top_k"},
                {"frequency_penalty", "frequency_penalty"}, {"frequencyPenalty", "frequency_penalty"},
                {"presence_penalty", "presence_penalty"}, {"presencePenalty", "presence_penalty"},
                {"seed", "seed"}, {"n", "choice.count"}, {"candidateCount", "choice.count"}}) {
            PARAMETERS.put(names[0], "gen_ai.request." + names[1]);
        }
    }

    private GenAiConventions() {}

    /** Everything but usage (written beside Langfuse's usage details) and messages. */
    static void writeTo(SpanWriter span, StageRecord record, String sessionId) {
        span.attribute("gen_ai.operation.name", operationName(record));
        span.attribute("gen_ai.provider.name", providerName(record));
        // The older name of the provider attribute, which backends built on earlier conventions read.
        span.attribute("gen_ai.system", record.provider);
        span.attribute("gen_ai.request.model", record.model);
        String responseModel = record.metadata.get("response_model");
        if (responseModel == null) {
            responseModel = record.metadata.get("model_version");
        }
        span.attribute("gen_ai.response.model", responseModel != null ? responseModel : record.model);
        span.attribute("gen_ai.response.id", record.metadata.get("response_id"));
        span.attribute("gen_ai.conversation.id", sessionId);
        String finishReason = record.metadata.get("finish_reason");
        if (finishReason != null) {
            span.attribute("gen_ai.response.finish_reasons", Collections.singletonList(finishReason));
        }
        for (Map.Entry<String, Object> parameter : record.modelParameters.entrySet()) {
            String key = PARAMETERS.get(parameter.getKey());
            Object value = parameter.getValue();
            if (key == null || !(value instanceof Number)) {
                continue;
            }
            if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
                span.attribute(key, ((Number) value).doubleValue());
            } else {
                span.attribute(key, ((Number) value).longValue());
            }
        }
    }

    /** The input and output as the conventions' message JSON; nothing when content is not captured. */
    static void writeMessages(SpanWriter span, StageRecord record) {
        if ("omitted".equals(record.metadata.get("content"))) {
            return;
        }
        ArrayNode input = inputMessages(record);
        if (input.size() > 0) {
            span.attribute("gen_ai.input.messages", Json.write(input));
        }
        ArrayNode output = outputMessages(record);
        if (output.size() > 0) {
            span.attribute("gen_ai.output.messages", Json.write(output));
        }
    }

    static String operationName(StageRecord record) {
        String operation = record.operation == null ? "" : record.operation.toLowerCase(Locale.ROOT);
        switch (record.kind) {
            case STT:
                return "speech_to_text";
            case TTS:
                return "text_to_speech";
            case TOOL:
                return "execute_tool";
            default:
                if (operation.contains("embed")) {
                    return "embeddings";
                }
                if (operation.contains("generatecontent")) {
                    return "generate_content";
                }
                if (operation.startsWith("completions")) {
                    return "text_completion";
                }
                return "chat";
        }
    }

    /** A framework (LangChain4j, Spring AI) is not the provider: the model's family tells it when it can. */
    static String providerName(StageRecord record) {
        String known = PROVIDERS.get(record.provider);
        if (known != null) {
            return known;
        }
        if ("langchain4j".equals(record.provider) || "spring-ai".equals(record.provider)) {
            String model = record.model == null ? "" : record.model.toLowerCase(Locale.ROOT);
            if (model.startsWith("gpt-") || model.startsWith("o1") || model.startsWith("o3")
                    || model.startsWith("o4") || model.startsWith("whisper") || model.startsWith("tts-")) {
                return "openai";
            }
            if (model.startsWith("claude")) {
                return "anthropic";
            }
            if (model.startsWith("gemini")) {
                return "gcp.gen_ai";
            }
        }
        return record.provider;
    }

    // ---- messages ----

    static ArrayNode inputMessages(StageRecord record) {
        ArrayNode messages = JSON.arrayNode();
        JsonNode input = record.input;
        if (record.kind == StageKind.LLM && input != null) {
            JsonNode system = input.has("system") ? input.get("system") : input.get("systemInstruction");
            if (system != null && !system.isNull()) {
                addIfParts(messages, message("system", parts(system), null));
            }
            JsonNode list = firstArray(input, "messages", "contents", "input");
            if (list != null) {
                for (JsonNode each : list) {
                    addIfParts(messages, convert(each, "user", null));
                }
            } else if (input.path("input").isTextual()) {
                addIfParts(messages, message("user", textParts(input.get("input").asText()), null));
            }
        }
        if (messages.size() == 0 && record.inputText != null) {
            addIfParts(messages, message("user", textParts(record.inputText), null));
        }
        return messages;
    }

    static ArrayNode outputMessages(StageRecord record) {
        ArrayNode messages = JSON.arrayNode();
        String finishReason = record.error != null ? "error" : record.metadata.get("finish_reason");
        JsonNode output = record.output;
        if (record.kind == StageKind.LLM && output != null && output.isContainerNode()) {
            JsonNode message = output.has("message") ? output.get("message")
                    : output.has("content") && output.get("content").isObject() ? output.get("content") : output;
            if (message.isArray()) {
                for (JsonNode each : message) {
                    addIfParts(messages, convert(each, "assistant", finishReason));
                }
            } else {
                addIfParts(messages, convert(message, "assistant", finishReason));
            }
        }
        if (messages.size() == 0 && record.outputText != null) {
            addIfParts(messages, message("assistant", textParts(record.outputText), finishReason));
        }
        return messages;
    }

    private static JsonNode firstArray(JsonNode input, String... names) {
        if (input.isArray()) {
            return input;
        }
        for (String name : names) {
            JsonNode value = input.get(name);
            if (value != null && value.isArray()) {
                return value;
            }
        }
        return null;
    }

    /** One provider message (OpenAI, Anthropic, Gemini, Bedrock shapes) as a conventions message. */
    private static ObjectNode convert(JsonNode message, String defaultRole, String finishReason) {
        if (message.isTextual()) {
            return message(defaultRole, textParts(message.asText()), finishReason);
        }
        String role = message.path("role").asText(defaultRole);
        if ("model".equals(role)) {
            role = "assistant";
        }
        ArrayNode parts = parts(message.has("content") ? message.get("content") : message.get("parts"));
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            ObjectNode part = parts.addObject().put("type", "tool_call");
            putText(part, "id", call.get("id"));
            putText(part, "name", function.get("name"));
            part.set("arguments", parsedArguments(function.get("arguments")));
        }
        if ("tool".equals(role) && message.has("tool_call_id") && parts.size() > 0) {
            // An OpenAI tool message: its content is the tool's response.
            ObjectNode response = JSON.objectNode().put("type", "tool_call_response");
            putText(response, "id", message.get("tool_call_id"));
            response.set("response", message.get("content"));
            parts = JSON.arrayNode().add(response);
        }
        return message(role, parts, finishReason);
    }

    private static ArrayNode parts(JsonNode content) {
        ArrayNode parts = JSON.arrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            return textParts(content.asText());
        }
        if (content.isObject()) {
            JsonNode nested = content.has("parts") ? content.get("parts") : null;
            return nested != null ? parts(nested) : part(parts, content);
        }
        for (JsonNode element : content) {
            if (element.isTextual()) {
                parts.add(textPart(element.asText()));
            } else if (element.isObject()) {
                part(parts, element);
            }
        }
        return parts;
    }

    private static ArrayNode part(ArrayNode parts, JsonNode element) {
        String type = element.path("type").asText("");
        if (element.path("text").isTextual()) {
            parts.add(textPart(element.get("text").asText()));
        } else if ("tool_use".equals(type) || element.has("toolUse") || element.has("functionCall")) {
            JsonNode call = element.has("toolUse") ? element.get("toolUse")
                    : element.has("functionCall") ? element.get("functionCall") : element;
            ObjectNode part = parts.addObject().put("type", "tool_call");
            putText(part, "id", call.has("toolUseId") ? call.get("toolUseId") : call.get("id"));
            putText(part, "name", call.get("name"));
            part.set("arguments", call.has("args") ? call.get("args") : call.get("input"));
        } else if ("tool_result".equals(type) || element.has("toolResult") || element.has("functionResponse")) {
            JsonNode result = element.has("toolResult") ? element.get("toolResult")
                    : element.has("functionResponse") ? element.get("functionResponse") : element;
            ObjectNode part = parts.addObject().put("type", "tool_call_response");
            putText(part, "id", result.has("toolUseId") ? result.get("toolUseId") : result.get("tool_use_id"));
            part.set("response", result.has("response") ? result.get("response") : result.get("content"));
        } else if (!type.isEmpty()) {
            // Audio, images and other parts: their kind is kept, their payload is not.
            parts.addObject().put("type", type);
        }
        return parts;
    }

    private static JsonNode parsedArguments(JsonNode arguments) {
        if (arguments != null && arguments.isTextual()) {
            try {
                JsonNode parsed = Json.read(arguments.asText());
                return parsed == null ? arguments : parsed;
            } catch (IOException e) {
                return arguments;
            }
        }
        return arguments;
    }

    private static ObjectNode message(String role, ArrayNode parts, String finishReason) {
        ObjectNode message = JSON.objectNode();
        message.put("role", role);
        message.set("parts", parts);
        if (finishReason != null) {
            message.put("finish_reason", finishReason);
        }
        return message;
    }

    private static void addIfParts(ArrayNode messages, ObjectNode message) {
        if (message.path("parts").size() > 0) {
            messages.add(message);
        }
    }

    private static ArrayNode textParts(String text) {
        return JSON.arrayNode().add(textPart(text));
    }

    private static ObjectNode textPart(String text) {
        return JSON.objectNode().put("type", "text").put("content", text);
    }

    private static void putText(ObjectNode part, String field, JsonNode value) {
        if (value != null && !value.isNull()) {
            part.put(field, value.asText());
        }
    }
}
