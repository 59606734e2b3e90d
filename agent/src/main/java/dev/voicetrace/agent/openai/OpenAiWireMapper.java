package dev.voicetrace.agent.openai;

import static dev.voicetrace.agent.json.WireFields.audioOutput;
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
import dev.voicetrace.agent.json.WireFields;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps OpenAI API payloads (the documented wire JSON of chat completions, the Responses API,
 * audio transcriptions, translations and speech) onto a {@link StageRecord}. Pure functions of
 * JSON: the same code serves the SDK, raw HTTP clients and recorded payloads in tests.
 */
public final class OpenAiWireMapper {

    private static final JsonNodeFactory JSON = Json.NODES;

    /** Request fields that are model parameters, in the order Langfuse shows them. */
    private static final String[] CHAT_PARAMETERS = {
        "temperature", "top_p", "max_tokens", "max_completion_tokens", "frequency_penalty",
        "presence_penalty", "seed", "n", "stop", "reasoning_effort", "service_tier", "parallel_tool_calls",
        "stream"
    };
    private static final String[] RESPONSES_PARAMETERS = {
        "temperature", "top_p", "max_output_tokens", "parallel_tool_calls", "service_tier", "stream", "truncation"
    };

    private OpenAiWireMapper() {}

    // ---- chat completions ----

    public static void chatRequest(JsonNode body, StageRecord record) {
        record.model = text(body, "model");
        copyParameters(body, CHAT_PARAMETERS, record);
        if (body.has("response_format")) {
            record.modelParameters.put("response_format", text(body.get("response_format"), "type"));
        }
        ObjectNode input = JSON.objectNode();
        JsonNode messages = body.path("messages");
        input.set("messages", messages.isMissingNode() ? JSON.arrayNode() : messages);
        copyIfPresent(body, input, "tools");
        copyIfPresent(body, input, "tool_choice");
        record.input = input;
        record.inputText = lastUserText(messages);
        record.historyTexts = ConversationHistory.of(messages, message -> contentText(message.path("content")));
    }

    public static void chatResponse(JsonNode response, StageRecord record) {
        modelFromResponse(response, record);
        JsonNode choice = response.path("choices").path(0);
        JsonNode message = choice.path("message");
        record.output = message.isMissingNode() ? JSON.nullNode() : message;
        record.outputText = contentText(message.path("content"));
        putMetadata(record, "finish_reason", text(choice, "finish_reason"));
        putMetadata(record, "response_id", text(response, "id"));
        putMetadata(record, "system_fingerprint", text(response, "system_fingerprint"));
        chatUsage(response.path("usage"), record);
    }

    /**
     * Reassembles a streamed chat completion from its chunks: content deltas, tool-call fragments
     * (joined by index), finish reason and the usage chunk that closes a stream requested with
     * {@code stream_options.include_usage}.
     *
     * @return the index of the first chunk that carried output (content or a tool call), or -1
     */
    public static int chatChunks(List<JsonNode> chunks, StageRecord record) {
        StringBuilder content = new StringBuilder();
        Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
        String role = "assistant";
        String finishReason = null;
        int firstOutput = -1;
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = chunks.get(i);
            modelFromResponse(chunk, record);
            putMetadata(record, "response_id", text(chunk, "id"));
            if (chunk.hasNonNull("usage")) {
                chatUsage(chunk.get("usage"), record);
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            if (delta.hasNonNull("role")) {
                role = delta.get("role").asText();
            }
            String piece = text(delta, "content");
            if (piece != null && !piece.isEmpty()) {
                content.append(piece);
                firstOutput = firstOutput < 0 ? i : firstOutput;
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                firstOutput = firstOutput < 0 ? i : firstOutput;
                mergeToolCall(toolCalls, fragment);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        ObjectNode message = JSON.objectNode();
        message.put("role", role);
        message.put("content", content.length() == 0 && !toolCalls.isEmpty() ? null : content.toString());
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            toolCalls.values().forEach(calls::add);
        }
        record.output = message;
        record.outputText = content.toString();
        putMetadata(record, "finish_reason", finishReason);
        return firstOutput;
    }

    private static void mergeToolCall(Map<Integer, ObjectNode> toolCalls, JsonNode fragment) {
        int index = fragment.path("index").asInt(0);
        ObjectNode call = toolCalls.computeIfAbsent(index, k -> {
            ObjectNode created = JSON.objectNode();
            created.putObject("function").put("name", "").put("arguments", "");
            created.put("type", "function");
            return created;
        });
        if (fragment.hasNonNull("id")) {
            call.put("id", fragment.get("id").asText());
        }
        JsonNode function = fragment.path("function");
        ObjectNode target = (ObjectNode) call.get("function");
        if (function.hasNonNull("name")) {
            target.put("name", target.get("name").asText() + function.get("name").asText());
        }
        if (function.hasNonNull("arguments")) {
            target.put("arguments", target.get("arguments").asText() + function.get("arguments").asText());
        }
    }

    private static void chatUsage(JsonNode usage, StageRecord record) {
        if (!usage.isObject()) {
            return;
        }
        putUsage(record, "input", usage.path("prompt_tokens"));
        putUsage(record, "output", usage.path("completion_tokens"));
        putUsage(record, "total", usage.path("total_tokens"));
        putUsage(record, "input_cached_tokens", usage.path("prompt_tokens_details").path("cached_tokens"));
        putUsage(record, "input_audio_tokens", usage.path("prompt_tokens_details").path("audio_tokens"));
        putUsage(record, "output_reasoning_tokens", usage.path("completion_tokens_details").path("reasoning_tokens"));
        putUsage(record, "output_audio_tokens", usage.path("completion_tokens_details").path("audio_tokens"));
    }

    // ---- Responses API ----

    public static void responsesRequest(JsonNode body, StageRecord record) {
        record.model = text(body, "model");
        copyParameters(body, RESPONSES_PARAMETERS, record);
        if (body.path("reasoning").hasNonNull("effort")) {
            record.modelParameters.put("reasoning_effort", body.get("reasoning").get("effort").asText());
        }
        ObjectNode input = JSON.objectNode();
        copyIfPresent(body, input, "instructions");
        copyIfPresent(body, input, "input");
        copyIfPresent(body, input, "tools");
        copyIfPresent(body, input, "tool_choice");
        record.input = input;
        JsonNode items = body.path("input");
        record.inputText = items.isTextual() ? items.asText() : lastUserText(items);
        record.historyTexts = ConversationHistory.of(items, item -> contentText(item.path("content")));
    }

    public static void responsesResponse(JsonNode response, StageRecord record) {
        modelFromResponse(response, record);
        putMetadata(record, "response_id", text(response, "id"));
        putMetadata(record, "status", text(response, "status"));
        ArrayNode output = JSON.arrayNode();
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            output.add(item);
            if ("message".equals(text(item, "type"))) {
                for (JsonNode part : item.path("content")) {
                    if ("output_text".equals(text(part, "type"))) {
                        text.append(part.path("text").asText(""));
                    }
                }
            }
        }
        record.output = output;
        record.outputText = text.toString();
        JsonNode usage = response.path("usage");
        putUsage(record, "input", usage.path("input_tokens"));
        putUsage(record, "output", usage.path("output_tokens"));
        putUsage(record, "total", usage.path("total_tokens"));
        putUsage(record, "input_cached_tokens", usage.path("input_tokens_details").path("cached_tokens"));
        putUsage(record, "output_reasoning_tokens", usage.path("output_tokens_details").path("reasoning_tokens"));
    }

    /**
     * A streamed response: the final {@code response.completed} (or failed/incomplete) event
     * carries the whole response; deltas only tell when output started.
     *
     * @return the index of the first event that carried output text, or -1
     */
    public static int responsesEvents(List<JsonNode> events, StageRecord record) {
        int firstOutput = -1;
        JsonNode last = null;
        StringBuilder deltas = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String type = text(event, "type");
            if (type == null) {
                continue;
            }
            if (type.endsWith(".delta")) {
                firstOutput = firstOutput < 0 ? i : firstOutput;
                if ("response.output_text.delta".equals(type)) {
                    deltas.append(event.path("delta").asText(""));
                }
            }
            if (event.path("response").isObject()) {
                last = event.get("response");
            }
        }
        if (last != null) {
            responsesResponse(last, record);
        }
        if (record.outputText == null || record.outputText.isEmpty()) {
            record.outputText = deltas.toString();
        }
        return firstOutput;
    }

    // ---- audio ----

    /** Transcription or translation request: a multipart body whose file part is metadata only. */
    public static void transcriptionRequest(JsonNode body, long audioBytes, StageRecord record) {
        record.model = text(body, "model");
        copyParameters(body, new String[] {"temperature", "response_format", "timestamp_granularities[]"}, record);
        ObjectNode audio = JSON.objectNode();
        JsonNode file = body.path("file");
        String filename = text(file, "filename");
        audio.put("filename", filename);
        audio.put("content_type", text(file, "content_type"));
        audio.put("format", audioFormat(filename, text(file, "content_type")));
        if (audioBytes >= 0) {
            audio.put("bytes", audioBytes);
        }
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        copyIfPresent(body, input, "language");
        copyIfPresent(body, input, "prompt");
        record.input = input;
        putMetadata(record, "language", text(body, "language"));
        if (audioBytes >= 0) {
            putMetadata(record, "audio_bytes", Long.toString(audioBytes));
        }
    }

    public static void transcriptionResponse(JsonNode response, StageRecord record) {
        String text = response.isTextual() ? response.asText() : text(response, "text");
        ObjectNode output = JSON.objectNode();
        output.put("text", text);
        copyIfPresent(response, output, "language");
        copyIfPresent(response, output, "duration");
        record.output = output;
        record.outputText = text;
        if (response.path("duration").isNumber()) {
            record.audioSeconds = response.get("duration").asDouble();
        }
        transcriptionUsage(response.path("usage"), record);
        putMetadata(record, "detected_language", text(response, "language"));
    }

    /**
     * Streamed transcription events: text deltas, then a {@code transcript.text.done} event with
     * the whole text and the usage.
     *
     * @return the index of the first event that carried text, or -1
     */
    public static int transcriptionEvents(List<JsonNode> events, StageRecord record) {
        StringBuilder deltas = new StringBuilder();
        String done = null;
        int firstOutput = -1;
        int partials = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (event.hasNonNull("delta")) {
                deltas.append(event.get("delta").asText());
                firstOutput = firstOutput < 0 ? i : firstOutput;
                partials++;
            }
            if ("transcript.text.done".equals(text(event, "type"))) {
                done = text(event, "text");
                transcriptionUsage(event.path("usage"), record);
            }
        }
        String text = done != null ? done : deltas.toString();
        ObjectNode output = JSON.objectNode();
        output.put("text", text);
        // A stream that ended before its final event carries only the partial text.
        output.put("final", done != null);
        output.put("partial_results", partials);
        record.output = output;
        record.outputText = text;
        record.metadata.put("partial_results", Integer.toString(partials));
        return firstOutput;
    }

    private static void transcriptionUsage(JsonNode usage, StageRecord record) {
        if (!usage.isObject()) {
            return;
        }
        if ("duration".equals(text(usage, "type")) || usage.has("seconds")) {
            double seconds = usage.path("seconds").asDouble(0);
            record.audioSeconds = seconds;
            WireFields.billedAudio(record, seconds);
            return;
        }
        putUsage(record, "input", usage.path("input_tokens"));
        putUsage(record, "output", usage.path("output_tokens"));
        putUsage(record, "total", usage.path("total_tokens"));
        putUsage(record, "input_audio_tokens", usage.path("input_token_details").path("audio_tokens"));
    }

    public static void speechRequest(JsonNode body, StageRecord record) {
        record.model = text(body, "model");
        copyParameters(body, new String[] {"speed", "response_format", "stream_format"}, record);
        String text = text(body, "input");
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        input.set("voice", body.path("voice").isMissingNode() ? JSON.nullNode() : body.get("voice"));
        copyIfPresent(body, input, "instructions");
        record.input = input;
        record.inputText = text;
        record.characters = text == null ? 0 : text.codePointCount(0, text.length());
        JsonNode voice = body.path("voice");
        putMetadata(record, "voice", voice.isTextual() ? voice.asText() : text(voice, "id"));
        putMetadata(record, "format", text(body, "response_format") == null ? "mp3" : text(body, "response_format"));
    }

    /** Speech output: what the application read of the audio, never the audio itself. */
    public static void speechResponse(long bytes, String contentType, boolean interrupted, StageRecord record) {
        String format = record.metadata.getOrDefault("format", "mp3");
        audioOutput(record, bytes, pcmSeconds(format, bytes), interrupted).put("content_type", contentType);
    }

    /** OpenAI's uncompressed speech is 24 kHz, 16-bit, mono; a WAV adds a 44-byte header. */
    static double pcmSeconds(String format, long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        if ("pcm".equals(format)) {
            return bytes / 48_000.0;
        }
        if ("wav".equals(format) && bytes > 44) {
            return (bytes - 44) / 48_000.0;
        }
        return 0;
    }

    // ---- helpers ----

    private static void modelFromResponse(JsonNode response, StageRecord record) {
        String model = text(response, "model");
        if (model != null) {
            record.model = model;
        }
    }

    /** Text of the most recent user message, from chat messages or Responses API input items. */
    static String lastUserText(JsonNode messages) {
        if (!messages.isArray()) {
            return null;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(text(message, "role"))) {
                return contentText(message.path("content"));
            }
        }
        return null;
    }

    /** A message content as plain text: a string, or the text parts of a content array joined. */
    static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.hasNonNull("text")) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static String audioFormat(String filename, String contentType) {
        if (filename != null && filename.lastIndexOf('.') > 0) {
            return filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        }
        if (contentType != null && contentType.contains("/")) {
            return contentType.substring(contentType.indexOf('/') + 1);
        }
        return null;
    }
}
