package dev.voicetrace.testapp.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for OpenAI's {@code POST /v1/chat/completions}: answers in the documented
 * shape of the real API (a {@code chat.completion} object, or {@code chat.completion.chunk}
 * server-sent events ending with a usage chunk and {@code [DONE]}), with a {@code get_weather}
 * tool call when tools are offered and no tool result is in the conversation yet. Answers are
 * deterministic: the same conversation always gets the same reply and usage.
 */
public final class MockChatCompletions implements AutoCloseable {

    public static final String MODEL_SNAPSHOT = "gpt-4o-mini-2024-07-18";
    private static final long CREATED = 1_763_900_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();

    public MockChatCompletions() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "mock-openai");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** The base URL OpenAI clients take, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod()) || auth == null || !auth.startsWith("Bearer ")) {
                send(exchange, 401, "application/json",
                        "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\","
                                + "\"param\":null,\"code\":\"invalid_api_key\"}}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String id = String.format("chatcmpl-VT%08d", ids.incrementAndGet());
            Answer answer = answer(request);
            if (request.path("stream").asBoolean(false)) {
                stream(exchange, id, answer, request.path("stream_options").path("include_usage").asBoolean(false));
            } else {
                send(exchange, 200, "application/json", JSON.writeValueAsString(completion(id, answer)));
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "application/json", "{\"error\":{\"message\":\"mock failure\",\"type\":\"server_error\"}}");
        }
    }

    /** What the model says to a conversation. */
    private static Answer answer(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        int promptTokens = 9;
        for (JsonNode message : messages) {
            promptTokens += 4 + text(message.path("content")).length() / 4;
        }
        if (request.path("tools").size() > 0 && !"tool".equals(last.path("role").asText())) {
            return new Answer(null, "get_weather", "{\"city\":\"Lisbon\"}", promptTokens + 48);
        }
        String user = "";
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                user = text(message.path("content"));
            }
        }
        String reply;
        if ("tool".equals(last.path("role").asText())) {
            reply = "It is 21 degrees and sunny in Lisbon, a fine afternoon for the riverside.";
        } else if (user.contains("dessert")) {
            reply = "Try a pastel de nata, still warm, with a dusting of cinnamon.";
        } else if (user.contains("afternoon")) {
            reply = "Walk through Alfama, ride tram 28 and end at the Miradouro da Senhora do Monte for the sunset.";
        } else {
            reply = "Happy to help with your trip.";
        }
        return new Answer(reply, null, null, promptTokens);
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText());
        }
        return text.toString();
    }

    private static ObjectNode completion(String id, Answer answer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", CREATED);
        body.put("model", MODEL_SNAPSHOT);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (answer.text == null) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", answer.toolCallId());
            call.put("type", "function");
            call.putObject("function").put("name", answer.tool).put("arguments", answer.arguments);
        } else {
            message.put("content", answer.text);
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", answer.finishReason());
        body.set("usage", usage(answer));
        body.put("service_tier", "default");
        body.put("system_fingerprint", "fp_560af6e559");
        return body;
    }

    private static ObjectNode usage(Answer answer) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", answer.promptTokens);
        usage.put("completion_tokens", answer.completionTokens());
        usage.put("total_tokens", answer.promptTokens + answer.completionTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    private void stream(HttpExchange exchange, String id, Answer answer, boolean includeUsage) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode first = chunk(id, includeUsage);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putNull("logprobs")
                .putObject("delta").put("role", "assistant").put("content", "").putNull("refusal");
        event(out, first);
        for (ObjectNode delta : deltas(answer)) {
            ObjectNode chunk = chunk(id, includeUsage);
            ObjectNode choice = chunk.withArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.putNull("finish_reason");
            event(out, chunk);
            pause();
        }
        ObjectNode last = chunk(id, includeUsage);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", answer.finishReason())
                .putNull("logprobs").putObject("delta");
        event(out, last);
        if (includeUsage) {
            ObjectNode usage = chunk(id, false);
            usage.putArray("choices");
            usage.set("usage", usage(answer));
            event(out, usage);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<ObjectNode> deltas(Answer answer) {
        List<ObjectNode> deltas = new ArrayList<>();
        if (answer.text == null) {
            ObjectNode opening = JSON.createObjectNode();
            ObjectNode call = opening.putArray("tool_calls").addObject();
            call.put("index", 0).put("id", answer.toolCallId()).put("type", "function");
            call.putObject("function").put("name", answer.tool).put("arguments", "");
            deltas.add(opening);
            for (String piece : new String[] {"{\"city\"", ":\"Lis", "bon\"}"}) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
                deltas.add(delta);
            }
            return deltas;
        }
        String[] words = answer.text.split(" ");
        for (int i = 0; i < words.length; i++) {
            deltas.add(JSON.createObjectNode().put("content", i == 0 ? words[i] : " " + words[i]));
        }
        return deltas;
    }

    private static ObjectNode chunk(String id, boolean withNullUsage) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", CREATED);
        chunk.put("model", MODEL_SNAPSHOT);
        chunk.put("service_tier", "default");
        chunk.put("system_fingerprint", "fp_560af6e559");
        chunk.putArray("choices");
        if (withNullUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A token's worth of model time, so that a stream's first token comes before its end. */
    private static void pause() {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static final class Answer {
        final String text;
        final String tool;
        final String arguments;
        final int promptTokens;

        Answer(String text, String tool, String arguments, int promptTokens) {
            this.text = text;
            this.tool = tool;
            this.arguments = arguments;
            this.promptTokens = promptTokens;
        }

        String finishReason() {
            return text == null ? "tool_calls" : "stop";
        }

        String toolCallId() {
            return "call_Lq3vT9weather01";
        }

        int completionTokens() {
            return text == null ? 17 : (int) Math.ceil(text.split(" ").length * 1.3);
        }
    }
}
