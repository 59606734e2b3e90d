package dev.voicetrace.testapp.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for Amazon Bedrock Runtime ({@code bedrock-runtime.<region>.amazonaws.com}):
 * {@code POST /model/{modelId}/converse}, {@code /converse-stream} (AWS event stream framing)
 * and {@code /invoke} (Anthropic Messages and Amazon Nova bodies), answering with payloads in
 * the documented shapes (recorded, ids and numbers fixed). It only checks that requests are
 * SigV4-signed; it never sees a secret key.
 */
final class MockBedrockServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    MockBedrockServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mock-bedrock");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/model/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Model requests answered so far. */
    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256")) {
                send(exchange, 403, "{\"message\":\"Missing Authentication Token\"}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String[] segments = path.split("/");
            String modelId = URLDecoder.decode(segments[2], StandardCharsets.UTF_8);
            String action = segments[3];
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (modelId.contains("unknown")) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", "ValidationException");
                send(exchange, 400, "{\"message\":\"The provided model identifier is invalid.\"}");
                return;
            }
            switch (action) {
                case "converse":
                    send(exchange, 200, converse(body));
                    break;
                case "converse-stream":
                    converseStream(exchange);
                    break;
                case "invoke":
                    send(exchange, 200, modelId.contains("anthropic.") ? anthropicMessage(modelId) : novaMessage());
                    break;
                default:
                    send(exchange, 404, "{\"message\":\"unknown operation\"}");
            }
        }
    }

    private static String converse(JsonNode body) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        boolean toolResult = last.path("content").path(0).has("toolResult");
        if (body.has("toolConfig") && !toolResult) {
            return "{\"metrics\":{\"latencyMs\":612},\"output\":{\"message\":{\"content\":[{\"text\":"
                    + "\"Let me check the weather for you.\"},{\"toolUse\":{\"input\":{\"city\":\"Seattle\"},"
                    + "\"name\":\"get_weather\",\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\"}}],"
                    + "\"role\":\"assistant\"}},\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":412,"
                    + "\"outputTokens\":58,\"totalTokens\":470}}";
        }
        if (toolResult) {
            return "{\"metrics\":{\"latencyMs\":540},\"output\":{\"message\":{\"content\":[{\"text\":"
                    + "\"It's 12 degrees and raining in Seattle, so bring an umbrella.\"}],\"role\":\"assistant\"}},"
                    + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":498,\"outputTokens\":19,"
                    + "\"totalTokens\":517}}";
        }
        return "{\"metrics\":{\"latencyMs\":433},\"output\":{\"message\":{\"content\":[{\"text\":"
                + "\"Hello! Your flight to Seattle boards at gate B12.\"}],\"role\":\"assistant\"}},"
                + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":36,\"outputTokens\":14,"
                + "\"totalTokens\":1074,\"cacheReadInputTokens\":1024,\"cacheWriteInputTokens\":0}}";
    }

    private static void converseStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "5e2c7a1e-7d0b-4c61-9b0e-1f2a3b4c5d6e");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, EventStreamEncoder.event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"));
        String[] pieces = {"Boarding starts ", "at 3:40 pm, ", "so you have time for coffee."};
        for (String piece : pieces) {
            write(out, EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":"
                    + JSON.writeValueAsString(piece) + "},\"p\":\"abcd\"}"));
        }
        write(out, EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijk\"}"));
        write(out, EventStreamEncoder.event("messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}"));
        write(out, EventStreamEncoder.event("metadata", "{\"metrics\":{\"latencyMs\":688},\"p\":\"abc\","
                + "\"usage\":{\"inputTokens\":44,\"outputTokens\":17,\"totalTokens\":61}}"));
    }

    private static void write(OutputStream out, byte[] message) throws IOException {
        out.write(message);
        out.flush();
        try {
            Thread.sleep(15);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String anthropicMessage(String modelId) {
        return "{\"id\":\"msg_bdrk_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"Your seat 14C is an aisle seat.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":29,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                + "\"output_tokens\":11}}";
    }

    private static String novaMessage() {
        return "{\"output\":{\"message\":{\"content\":[{\"text\":\"The lounge is on level 3, past security.\"}],"
                + "\"role\":\"assistant\"}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":21,"
                + "\"outputTokens\":12,\"totalTokens\":33,\"cacheReadInputTokenCount\":0,"
                + "\"cacheWriteInputTokenCount\":0}}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "9b2f0c41-1a7e-4d8f-a1c3-2e4f6a8b0c1d");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
