package dev.voicetrace.testapp.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loopback stand-in for the speech vendors' REST APIs and OpenAI's chat completions, built on
 * the JDK's {@link HttpServer} (Jackson, which openai-java brings, reads and writes JSON). Answers
 * follow the vendors' documented payloads (templates in {@code speech-payloads/}); audio bodies
 * are sent chunked, a few kilobytes at a time with short pauses, like the real streams.
 *
 * <ul>
 *   <li>Deepgram {@code POST /v1/listen}: needs {@code Authorization: Token ...}; the scripted
 *       utterance follows from the uploaded 16 kHz WAV's duration (the app's turn t lasts
 *       1 + t/2 seconds), which the response reports.</li>
 *   <li>Deepgram {@code POST /v1/speak?model=...&encoding=linear16&sample_rate=24000}: a WAV of
 *       20 ms of tone per character, with {@code dg-model-name} and {@code dg-char-count}.</li>
 *   <li>ElevenLabs {@code POST /v1/text-to-speech/{voice_id}[/stream]?output_format=pcm_24000}:
 *       needs {@code xi-api-key}; raw PCM, 20 ms per character, with {@code character-cost}.</li>
 *   <li>AssemblyAI {@code POST /v2/upload} (an {@code upload_url}), {@code POST /v2/transcript}
 *       (queued) and {@code GET /v2/transcript/{id}}:
 *       {@code processing} on the first poll, {@code completed} with the voicemail's words after.</li>
 *   <li>OpenAI {@code POST /v1/chat/completions}: the scripted reply to the last user message.</li>
 * </ul>
 */
final class MockSpeechServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "mock-speech");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger listenCount = new AtomicInteger();
    private final AtomicInteger transcriptCount = new AtomicInteger();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

    MockSpeechServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body = readAll(ex.getRequestBody());
            if ("POST".equals(method) && path.equals("/v1/listen")) {
                listen(ex, body);
            } else if ("POST".equals(method) && path.equals("/v1/speak")) {
                speak(ex, body);
            } else if ("POST".equals(method) && path.startsWith("/v1/text-to-speech/")) {
                elevenLabs(ex, body);
            } else if ("POST".equals(method) && path.equals("/v2/upload")) {
                upload(ex, body);
            } else if ("POST".equals(method) && path.equals("/v2/transcript")) {
                createTranscript(ex, body);
            } else if ("GET".equals(method) && path.startsWith("/v2/transcript/")) {
                pollTranscript(ex, path.substring("/v2/transcript/".length()));
            } else if ("POST".equals(method) && path.equals("/v1/chat/completions")) {
                chat(ex, body);
            } else {
                json(ex, 404, "{\"error\":\"not found\"}");
            }
        } catch (RuntimeException e) {
            json(ex, 500, "{\"error\":\"mock failure\"}");
        } finally {
            ex.close();
        }
    }

    // ---- Deepgram ----

    private void listen(HttpExchange ex, byte[] audio) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Token ")) {
            json(ex, 401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                    + "\"request_id\":\"00000000-0000-0000-0000-000000000000\"}");
            return;
        }
        int n = listenCount.getAndIncrement();
        double duration = Math.round(Math.max(0, audio.length - 44) / 32_000.0 * 1000) / 1000.0;
        // The app's caller audio of turn t lasts 1 + t/2 seconds: the utterance follows from it.
        long turn = Math.round((duration - 1.0) * 2);
        String transcript = turn >= 1 && turn <= Script.HEARD.size() ? Script.HEARD.get((int) turn - 1)
                : Script.HEARD.get(n % Script.HEARD.size());
        ObjectNode response = (ObjectNode) template("deepgram-listen.json");
        ObjectNode metadata = (ObjectNode) response.get("metadata");
        metadata.put("request_id", String.format(Locale.ROOT, "6f1d7c52-3b8e-4a0f-9d27-%012d", n + 1));
        metadata.put("duration", duration);
        ObjectNode alternative = (ObjectNode) response.get("results").get("channels").get(0).get("alternatives")
                .get(0);
        alternative.put("transcript", transcript);
        alternative.set("words", words(transcript, duration));
        json(ex, 200, JSON.writeValueAsString(response));
    }

    /** Deepgram-style word timings spread over the audio. */
    private static ArrayNode words(String transcript, double duration) {
        String[] parts = transcript.split(" ");
        ArrayNode words = JSON.createArrayNode();
        double step = duration / (parts.length + 1);
        for (int i = 0; i < parts.length; i++) {
            ObjectNode word = words.addObject();
            word.put("word", parts[i].replaceAll("[^\\p{L}\\p{N}']", "").toLowerCase(Locale.ROOT));
            word.put("start", Math.round((i + 0.5) * step * 100) / 100.0);
            word.put("end", Math.round((i + 1.3) * step * 100) / 100.0);
            word.put("confidence", 0.998);
            word.put("punctuated_word", parts[i]);
        }
        return words;
    }

    private void speak(HttpExchange ex, byte[] body) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Token ")) {
            json(ex, 401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}");
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String text = JSON.readTree(body).path("text").asText();
        int rate = Integer.parseInt(query.getOrDefault("sample_rate", "24000"));
        byte[] pcm = tone(rate, text.length() * rate / 50);
        ex.getResponseHeaders().set("Content-Type", "audio/wav");
        ex.getResponseHeaders().set("dg-model-name", query.getOrDefault("model", "aura-2-thalia-en"));
        ex.getResponseHeaders().set("dg-char-count", Integer.toString(text.length()));
        ex.getResponseHeaders().set("dg-request-id", "b7e5c0d4-9a61-4f2e-8c3b-1d0f6a2e9c57");
        stream(ex, concat(wavHeader(rate, pcm.length), pcm));
    }

    // ---- ElevenLabs ----

    private void elevenLabs(HttpExchange ex, byte[] body) throws IOException {
        if (ex.getRequestHeaders().getFirst("xi-api-key") == null) {
            json(ex, 401, "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}");
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String format = query.getOrDefault("output_format", "mp3_44100_128");
        String text = JSON.readTree(body).path("text").asText();
        int rate = format.startsWith("pcm_") ? Integer.parseInt(format.substring(4)) : 24_000;
        ex.getResponseHeaders().set("Content-Type", format.startsWith("pcm_") ? "audio/pcm" : "audio/mpeg");
        ex.getResponseHeaders().set("character-cost", Integer.toString(text.length()));
        ex.getResponseHeaders().set("request-id", "TQ5vYxWm2rKd8sNfPz3L");
        stream(ex, tone(rate, text.length() * rate / 50));
    }

    // ---- AssemblyAI ----

    private void upload(HttpExchange ex, byte[] audio) throws IOException {
        if (ex.getRequestHeaders().getFirst("Authorization") == null) {
            json(ex, 401, "{\"error\":\"Authentication error, API token missing/invalid\"}");
            return;
        }
        json(ex, 200, "{\"upload_url\":\"https://cdn.assemblyai.com/upload/"
                + String.format(Locale.ROOT, "ccbbbfaf-f319-4455-9556-%012d", audio.length) + "\"}");
    }

    private void createTranscript(HttpExchange ex, byte[] body) throws IOException {
        if (ex.getRequestHeaders().getFirst("Authorization") == null) {
            json(ex, 401, "{\"error\":\"Authentication error, API token missing/invalid\"}");
            return;
        }
        JsonNode request = JSON.readTree(body);
        String id = String.format(Locale.ROOT, "5551722-f677-48a4-a6a1-%012d", transcriptCount.incrementAndGet());
        ObjectNode queued = (ObjectNode) template("assemblyai-transcript-queued.json");
        queued.put("id", id);
        queued.put("audio_url", request.path("audio_url").asText());
        if (request.has("speech_model")) {
            queued.put("speech_model", request.get("speech_model").asText());
        }
        if (request.has("language_code")) {
            queued.put("language_code", request.get("language_code").asText());
        }
        polls.put(id, new AtomicInteger());
        json(ex, 200, JSON.writeValueAsString(queued));
    }

    private void pollTranscript(HttpExchange ex, String id) throws IOException {
        AtomicInteger count = polls.get(id);
        if (count == null) {
            json(ex, 404, "{\"error\":\"Transcript lookup error, transcript id not found\"}");
            return;
        }
        ObjectNode transcript;
        if (count.getAndIncrement() == 0) {
            transcript = (ObjectNode) template("assemblyai-transcript-queued.json");
            transcript.put("status", "processing");
        } else {
            transcript = (ObjectNode) template("assemblyai-transcript-completed.json");
        }
        transcript.put("id", id);
        json(ex, 200, JSON.writeValueAsString(transcript));
    }

    // ---- OpenAI ----

    private void chat(HttpExchange ex, byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body);
        JsonNode messages = request.path("messages");
        String lastUser = "";
        int promptChars = 0;
        for (JsonNode message : messages) {
            promptChars += message.path("content").asText().length();
            if ("user".equals(message.path("role").asText())) {
                lastUser = message.path("content").asText();
            }
        }
        String reply = Script.replyTo(lastUser);
        ObjectNode completion = (ObjectNode) template("openai-chat-completion.json");
        ((ObjectNode) completion.get("choices").get(0).get("message")).put("content", reply);
        ObjectNode usage = (ObjectNode) completion.get("usage");
        int prompt = 8 + promptChars / 4;
        int output = Math.max(1, reply.length() / 4);
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", output);
        usage.put("total_tokens", prompt + output);
        json(ex, 200, JSON.writeValueAsString(completion));
    }

    // ---- helpers ----

    private static JsonNode template(String name) {
        try (InputStream in = MockSpeechServer.class.getResourceAsStream("/speech-payloads/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** Sends audio chunked: 4 KiB at a time, a short pause between chunks. */
    private static void stream(HttpExchange ex, byte[] audio) throws IOException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        pause(15);
        for (int offset = 0; offset < audio.length; offset += 4096) {
            out.write(audio, offset, Math.min(4096, audio.length - offset));
            out.flush();
            pause(2);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** 16-bit mono PCM of a soft 220 Hz tone. */
    static byte[] tone(int sampleRate, int samples) {
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < samples; n++) {
            pcm.putShort((short) Math.round(Math.sin(2 * Math.PI * 220 * n / sampleRate) * 0.2 * Short.MAX_VALUE));
        }
        return pcm.array();
    }

    static byte[] wavHeader(int sampleRate, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
