package dev.voicetrace.agent.langchain4j;

import static dev.voicetrace.agent.capture.SdkMembers.get;
import static dev.voicetrace.agent.capture.SdkMembers.list;
import static dev.voicetrace.agent.capture.SdkMembers.string;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.ConversationHistory;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Maps LangChain4j's public request and response objects ({@code ChatRequest}, its messages,
 * tool specifications and parameters; {@code ChatResponse}, its {@code AiMessage}, finish reason,
 * token usage and metadata) onto a {@link StageRecord}, through their public getters. Messages
 * take the OpenAI chat shape Langfuse renders: role, content, tool calls, tool results.
 */
public final class LangChain4jMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    /** Request parameters (getter names) and the model-parameter names they are shown under. */
    private static final String[][] PARAMETERS = {
        {"temperature", "temperature"},
        {"maxOutputTokens", "max_output_tokens"},
        {"topP", "top_p"},
        {"topK", "top_k"},
        {"frequencyPenalty", "frequency_penalty"},
        {"presencePenalty", "presence_penalty"},
        {"stopSequences", "stop"},
        {"toolChoice", "tool_choice"},
    };

    private LangChain4jMapper() {}

    /** The request: model name and parameters, messages in order, tools; the latest user text. */
    public static void request(Object chatRequest, StageRecord record) {
        Object parameters = get(chatRequest, "parameters");
        String model = string(parameters, "modelName");
        if (model != null) {
            record.model = model;
        }
        for (String[] parameter : PARAMETERS) {
            Object value = get(parameters, parameter[0]);
            if (value instanceof Number) {
                record.modelParameters.put(parameter[1], value);
            } else if (value instanceof Collection && !((Collection<?>) value).isEmpty()) {
                record.modelParameters.put(parameter[1], value.toString());
            } else if (value instanceof Enum) {
                record.modelParameters.put(parameter[1], ((Enum<?>) value).name().toLowerCase(Locale.ROOT));
            }
        }
        Object responseFormat = get(parameters, "responseFormat");
        if (responseFormat != null) {
            Object type = get(responseFormat, "type");
            if (type != null) {
                record.modelParameters.put("response_format", type.toString().toLowerCase(Locale.ROOT));
            }
        }
        ArrayNode messages = JSON.arrayNode();
        String latestUserText = null;
        for (Object message : list(chatRequest, "messages")) {
            ObjectNode node = message(message);
            if (node == null) {
                continue;
            }
            messages.add(node);
            if ("user".equals(node.path("role").asText())) {
                String text = userText(message);
                if (text != null) {
                    latestUserText = text;
                }
            }
        }
        ObjectNode input = JSON.objectNode();
        input.set("messages", messages);
        ArrayNode tools = JSON.arrayNode();
        for (Object tool : list(parameters, "toolSpecifications")) {
            tools.add(tool(tool));
        }
        if (tools.isEmpty()) {
            for (Object tool : list(chatRequest, "toolSpecifications")) {
                tools.add(tool(tool));
            }
        }
        if (!tools.isEmpty()) {
            input.set("tools", tools);
        }
        record.input = input;
        record.inputText = latestUserText;
        record.historyTexts = ConversationHistory.of(messages, ConversationHistory::plainText);
    }

    /** The response: the AI message with its tool calls, finish reason, usage, model and provider. */
    public static void response(Object chatResponse, StageRecord record) {
        Object aiMessage = get(chatResponse, "aiMessage");
        ObjectNode output = aiMessage == null ? JSON.objectNode().put("role", "assistant") : message(aiMessage);
        record.output = output;
        record.outputText = string(aiMessage, "text");
        Object metadata = get(chatResponse, "metadata");
        String model = string(metadata, "modelName");
        if (model != null) {
            record.model = model;
        }
        putMetadata(record, "response_id", string(metadata, "id"));
        Object finishReason = get(chatResponse, "finishReason");
        if (finishReason == null) {
            finishReason = get(metadata, "finishReason");
        }
        if (finishReason != null) {
            record.metadata.put("finish_reason", finishReason.toString().toLowerCase(Locale.ROOT));
        }
        Object usage = get(chatResponse, "tokenUsage");
        if (usage == null) {
            usage = get(metadata, "tokenUsage");
        }
        usage(usage, record);
        String provider = modelProvider(metadata);
        if (provider == null) {
            provider = modelProvider(usage);
        }
        putMetadata(record, "model_provider", provider);
    }

    /** A stream that ended without a complete response: its partial texts are the output. */
    public static void partialOutput(Iterable<Object> items, StageRecord record) {
        StringBuilder text = new StringBuilder();
        for (Object item : items) {
            if (item instanceof CharSequence) {
                text.append(item);
            } else if (item != null && SdkMembers.probe(item, "index") == null) {
                // PartialResponse (1.2+) has text() and no index(); PartialToolCall the reverse.
                Object piece = SdkMembers.probe(item, "text");
                if (piece != null) {
                    text.append(piece);
                }
            }
        }
        if (text.length() > 0) {
            record.outputText = text.toString();
            ObjectNode output = JSON.objectNode();
            output.put("role", "assistant");
            output.put("content", text.toString());
            record.output = output;
        }
    }

    /**
     * The provider module behind the framework, read from its response classes, which live in the
     * module's package ({@code dev.langchain4j.model.openai.OpenAiChatResponseMetadata} -> openai).
     */
    static String modelProvider(Object providerObject) {
        if (providerObject == null) {
            return null;
        }
        String name = providerObject.getClass().getName();
        String prefix = "dev.langchain4j.model.";
        if (!name.startsWith(prefix)) {
            return null;
        }
        String rest = name.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String module = rest.substring(0, dot);
        return "chat".equals(module) || "output".equals(module) ? null : module;
    }

    private static void usage(Object usage, StageRecord record) {
        if (usage == null) {
            return;
        }
        putCount(record, "input", get(usage, "inputTokenCount"));
        putCount(record, "output", get(usage, "outputTokenCount"));
        putCount(record, "total", get(usage, "totalTokenCount"));
        // Provider subclasses (OpenAiTokenUsage) add details.
        putCount(record, "input_cached_tokens", get(SdkMembers.probe(usage, "inputTokensDetails"), "cachedTokens"));
        putCount(record, "output_reasoning_tokens",
                get(SdkMembers.probe(usage, "outputTokensDetails"), "reasoningTokens"));
    }

    private static void putCount(StageRecord record, String key, Object value) {
        if (value instanceof Number) {
            record.usage.put(key, ((Number) value).longValue());
        }
    }

    private static void putMetadata(StageRecord record, String key, String value) {
        if (value != null) {
            record.metadata.put(key, value);
        }
    }

    /** One message by its type: system, user, ai (with tool calls) or a tool result. */
    static ObjectNode message(Object message) {
        Object type = get(message, "type");
        String kind = type == null ? message.getClass().getSimpleName() : type.toString();
        ObjectNode node = JSON.objectNode();
        switch (kind) {
            case "SYSTEM":
            case "SystemMessage":
                node.put("role", "system");
                node.put("content", string(message, "text"));
                return node;
            case "USER":
            case "UserMessage":
                node.put("role", "user");
                putName(node, message);
                userContent(message, node);
                return node;
            case "AI":
            case "AiMessage":
                node.put("role", "assistant");
                String text = string(message, "text");
                if (text == null) {
                    node.putNull("content");
                } else {
                    node.put("content", text);
                }
                ArrayNode calls = JSON.arrayNode();
                for (Object request : list(message, "toolExecutionRequests")) {
                    ObjectNode call = calls.addObject();
                    putIfNotNull(call, "id", string(request, "id"));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    putIfNotNull(function, "name", string(request, "name"));
                    putIfNotNull(function, "arguments", string(request, "arguments"));
                }
                if (!calls.isEmpty()) {
                    node.set("tool_calls", calls);
                }
                return node;
            case "TOOL_EXECUTION_RESULT":
            case "ToolExecutionResultMessage":
                node.put("role", "tool");
                putIfNotNull(node, "tool_call_id", string(message, "id"));
                putIfNotNull(node, "name", string(message, "toolName"));
                node.put("content", string(message, "text"));
                return node;
            default:
                node.put("role", kind.toLowerCase(Locale.ROOT));
                putIfNotNull(node, "content", string(message, "text"));
                return node;
        }
    }

    /** A user message's content: one string for a single text, else typed parts (media by kind only). */
    private static void userContent(Object message, ObjectNode node) {
        java.util.List<?> contents = list(message, "contents");
        if (contents.size() == 1 && partText(contents.get(0)) != null) {
            node.put("content", partText(contents.get(0)));
            return;
        }
        if (contents.isEmpty()) {
            putIfNotNull(node, "content", singleText(message));
            return;
        }
        ArrayNode parts = node.putArray("content");
        for (Object content : contents) {
            ObjectNode part = parts.addObject();
            String text = partText(content);
            if (text != null) {
                part.put("type", "text");
                part.put("text", text);
            } else {
                Object type = get(content, "type");
                part.put("type", type == null ? content.getClass().getSimpleName() : type.toString().toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The text of a user message (its text parts joined), or null. */
    private static String userText(Object message) {
        StringBuilder text = new StringBuilder();
        for (Object content : list(message, "contents")) {
            String part = partText(content);
            if (part != null) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(part);
            }
        }
        return text.length() > 0 ? text.toString() : singleText(message);
    }

    /** A content part's text: only text parts have one (audio, image, video and PDF parts do not). */
    private static String partText(Object content) {
        Object text = SdkMembers.probe(content, "text");
        return text == null ? null : text.toString();
    }

    private static String singleText(Object message) {
        Object single = get(message, "hasSingleText");
        return Boolean.TRUE.equals(single) ? string(message, "singleText") : null;
    }

    private static void putName(ObjectNode node, Object message) {
        putIfNotNull(node, "name", string(message, "name"));
    }

    /** A tool specification: name, description and the JSON schema's property names and required ones. */
    static ObjectNode tool(Object specification) {
        ObjectNode tool = JSON.objectNode();
        tool.put("type", "function");
        ObjectNode function = tool.putObject("function");
        putIfNotNull(function, "name", string(specification, "name"));
        putIfNotNull(function, "description", string(specification, "description"));
        Object parameters = get(specification, "parameters");
        Object properties = get(parameters, "properties");
        if (properties instanceof Map) {
            ObjectNode schema = function.putObject("parameters");
            schema.put("type", "object");
            ObjectNode props = schema.putObject("properties");
            for (Map.Entry<?, ?> property : ((Map<?, ?>) properties).entrySet()) {
                ObjectNode described = props.putObject(String.valueOf(property.getKey()));
                String simple = property.getValue() == null ? null : property.getValue().getClass().getSimpleName();
                if (simple != null && simple.startsWith("Json") && simple.endsWith("Schema")) {
                    described.put("type", simple.substring(4, simple.length() - 6).toLowerCase(Locale.ROOT));
                }
                putIfNotNull(described, "description", string(property.getValue(), "description"));
            }
            java.util.List<?> required = list(parameters, "required");
            if (!required.isEmpty()) {
                ArrayNode names = schema.putArray("required");
                for (Object name : required) {
                    names.add(String.valueOf(name));
                }
            }
        }
        return tool;
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
