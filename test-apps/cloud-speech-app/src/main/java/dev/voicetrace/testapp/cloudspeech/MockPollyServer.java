package dev.voicetrace.testapp.cloudspeech;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for Amazon Polly's REST API on loopback ({@code POST /v1/speech}, the
 * {@code SynthesizeSpeech} operation). It answers like Polly: the audio as the body,
 * {@code Content-Type} of the output format, {@code x-amzn-RequestCharacters} with the
 * characters billed (SSML tags not counted) and {@code x-amzn-RequestId}. The audio is a
 * deterministic tone: for {@code pcm}, 16-bit mono at the requested rate (default 16 kHz),
 * {@value #PCM_MILLIS_PER_CHARACTER} ms per character; for {@code mp3} and {@code ogg_vorbis},
 * {@value #COMPRESSED_BYTES_PER_CHARACTER} bytes per character. The body is sent in chunks after
 * a short pause, as a synthesis service would. A request with an unknown voice gets Polly's
 * 400 error; one without a SigV4 signature gets 403.
 */
public final class MockPollyServer implements AutoCloseable {

    static final int PCM_MILLIS_PER_CHARACTER = 60;
    static final int COMPRESSED_BYTES_PER_CHARACTER = 120;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "mock-polly");
        thread.setDaemon(true);
        return thread;
    });
    private int requestCount;

    public MockPollyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/speech", this::speech);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void speech(HttpExchange exchange) throws IOException {
        try (exchange) {
            synchronized (this) {
                requestCount++;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            JsonObject body = JsonParser.parseString(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            String voice = string(body, "VoiceId");
            if (!List.of("Joanna", "Matthew", "Ruth", "Danielle", "Amy").contains(voice)) {
                byte[] error = ("{\"message\":\"1 validation error detected: Value '" + voice
                        + "' at 'voiceId' failed to satisfy constraint\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
                exchange.getResponseHeaders().add("x-amzn-RequestId", "4f2a6f2e-0000-4000-8000-000000000400");
                exchange.sendResponseHeaders(400, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            String text = string(body, "Text");
            String textType = string(body, "TextType");
            String spoken = "ssml".equals(textType) ? text.replaceAll("<[^>]*>", "") : text;
            int characters = spoken.codePointCount(0, spoken.length());
            String format = string(body, "OutputFormat");
            byte[] audio;
            String contentType;
            if ("pcm".equals(format)) {
                int rate = body.has("SampleRate") ? Integer.parseInt(string(body, "SampleRate")) : 16_000;
                audio = AudioTone.pcm(rate, characters * PCM_MILLIS_PER_CHARACTER);
                contentType = "audio/pcm";
            } else {
                audio = AudioTone.compressed(characters * COMPRESSED_BYTES_PER_CHARACTER);
                contentType = "ogg_vorbis".equals(format) ? "audio/ogg" : "audio/mpeg";
            }
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.getResponseHeaders().add("x-amzn-RequestCharacters", Integer.toString(characters));
            exchange.getResponseHeaders().add("x-amzn-RequestId", "4f2a6f2e-0000-4000-8000-00000000000" + requestCount % 10);
            sleep(40);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int offset = 0; offset < audio.length; offset += 4096) {
                out.write(audio, offset, Math.min(4096, audio.length - offset));
                out.flush();
                if (offset == 0) {
                    sleep(20);
                }
            }
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static String string(JsonObject body, String field) {
        return body.has(field) && !body.get(field).isJsonNull() ? body.get(field).getAsString() : null;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
