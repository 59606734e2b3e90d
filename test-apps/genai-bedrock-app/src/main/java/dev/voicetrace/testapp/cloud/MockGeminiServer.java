package dev.voicetrace.testapp.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the Gemini API (generativelanguage.googleapis.com, API-key mode):
 * {@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse},
 * answering with payloads in the shape the API documents and sends (recorded, ids and numbers
 * fixed). A request with a function declaration and no function response gets a function call.
 */
final class MockGeminiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    MockGeminiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mock-gemini");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Model requests answered so far. */
    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestHeaders().getFirst("x-goog-api-key") == null) {
                send(exchange, 401, "application/json",
                        "{\"error\":{\"code\":401,\"message\":\"API key missing\",\"status\":\"UNAUTHENTICATED\"}}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String model = path.substring(path.lastIndexOf('/') + 1, path.indexOf(':'));
            boolean toolTurn = body.has("tools") && !hasFunctionResponse(body);
            if (model.contains("unknown")) {
                send(exchange, 404, "application/json", "{\"error\":{\"code\":404,\"message\":\"models/" + model
                        + " is not found for API version v1beta, or is not supported for generateContent.\","
                        + "\"status\":\"NOT_FOUND\"}}");
            } else if (path.endsWith(":streamGenerateContent")) {
                stream(exchange, model, body);
            } else if (toolTurn) {
                send(exchange, 200, "application/json", functionCall(model));
            } else if (hasFunctionResponse(body)) {
                send(exchange, 200, "application/json", text(model,
                        "It's 19 degrees and sunny in Lisbon, so a walk along the river is a great idea.",
                        "resp-gm-tool-2", 97, 21, 0, 0));
            } else if (body.path("generationConfig").has("thinkingConfig")) {
                send(exchange, 200, "application/json", text(model,
                        "The Tram 28 runs every 12 minutes from Martim Moniz.", "resp-gm-async-1", 64, 14, 16, 0));
            } else {
                send(exchange, 200, "application/json", text(model,
                        "Good afternoon! Lisbon is mild today, perfect for a stroll through Alfama.",
                        "resp-gm-sync-1", 31, 18, 0, 42));
            }
        }
    }

    private static boolean hasFunctionResponse(JsonNode body) {
        for (JsonNode content : body.path("contents")) {
            for (JsonNode part : content.path("parts")) {
                if (part.has("functionResponse")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(String model, String text, String id, int prompt, int candidates, int cached,
                               int thoughts) throws IOException {
        String usage = "{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":" + candidates
                + (cached > 0 ? ",\"cachedContentTokenCount\":" + cached : "")
                + (thoughts > 0 ? ",\"thoughtsTokenCount\":" + thoughts : "")
                + ",\"totalTokenCount\":" + (prompt + candidates + thoughts)
                + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":" + prompt + "}]}";
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + JSON.writeValueAsString(text)
                + "}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":" + usage
                + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"" + id + "\"}";
    }

    private static String functionCall(String model) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                + "\"args\":{\"city\":\"Lisbon\",\"unit\":\"celsius\"}}}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":58,"
                + "\"candidatesTokenCount\":9,\"totalTokenCount\":67,\"promptTokensDetails\":[{\"modality\":\"TEXT\","
                + "\"tokenCount\":58}]},\"modelVersion\":\"" + model + "\",\"responseId\":\"resp-gm-tool-1\"}";
    }

    /** Server-sent events, one {@code GenerateContentResponse} per event, flushed one by one. */
    private static void stream(HttpExchange exchange, String model, JsonNode body) throws IOException {
        List<String> pieces = List.of("Take the ", "Santa Justa lift up to Carmo, ",
                "then walk down to the river at sunset.");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            int candidates = 3 + i * 6;
            String usage = "{\"promptTokenCount\":27,\"candidatesTokenCount\":" + candidates
                    + (last ? ",\"thoughtsTokenCount\":12" : "")
                    + ",\"totalTokenCount\":" + (27 + candidates + (last ? 12 : 0))
                    + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":27}]}";
            String chunk = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                    + JSON.writeValueAsString(pieces.get(i)) + "}],\"role\":\"model\"}"
                    + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":" + usage
                    + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"resp-gm-stream-1\"}";
            out.write(("data: " + chunk + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
