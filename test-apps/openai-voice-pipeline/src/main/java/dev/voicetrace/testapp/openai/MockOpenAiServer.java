package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for {@code https://api.openai.com/v1} on loopback, built on the JDK's
 * {@link HttpServer} only (Jackson, which openai-java already brings, parses request bodies).
 *
 * <p>Endpoints (all under {@code /v1}):
 * <ul>
 *   <li>{@code POST /audio/transcriptions}, {@code POST /audio/translations}: multipart upload; the
 *       scripted utterance is chosen by the {@link WavAudio#TURN_MARKER} tag in the uploaded WAV (or,
 *       without a tag, by request order). A transcription with the multipart field {@code stream=true}
 *       (and a non-whisper model, as the real API ignores the flag for whisper-1) is answered as SSE:
 *       {@code transcript.text.delta} events, then {@code transcript.text.done} with usage.</li>
 *   <li>{@code POST /chat/completions}: {@code chat.completion} JSON, or SSE
 *       {@code chat.completion.chunk}s when {@code "stream": true} (plus a usage chunk when
 *       {@code stream_options.include_usage} is true). A request with {@code tools} and no
 *       {@code tool} message after the last user message gets a {@code tool_calls} answer.</li>
 *   <li>{@code POST /responses}: a Responses API {@code response} object answering the last user input
 *       item, or with {@code "stream": true} the SSE event sequence of the real API ({@code event:} and
 *       {@code data:} lines, {@code sequence_number}s) from {@code response.created} to
 *       {@code response.completed}.</li>
 *   <li>{@code POST /audio/speech}: a sine-tone WAV sized by the input text (200 bytes of PCM per
 *       character + 44 header bytes), sent chunked after a short pause.</li>
 *   <li>{@code POST /messages} (Anthropic's Messages API, whose clients take the server root as base
 *       URL): a {@code message} answering the last user text, or with {@code "stream": true} the
 *       SSE events of the real API ({@code message_start}, {@code content_block_start},
 *       {@code ping}, {@code content_block_delta}s, {@code content_block_stop},
 *       {@code message_delta}, {@code message_stop}). A request with {@code tools} whose last user
 *       message holds no {@code tool_result} gets a short text block and a {@code tool_use}
 *       block.</li>
 *   <li>anything else: 404 with an OpenAI-style error body.</li>
 * </ul>
 * In malformed mode (constructor flag or {@code -Dmock.openai.malformed=true})
 * {@code /chat/completions} answers 200 with JSON of the wrong shape. In fail-llm mode (constructor
 * flag or {@code -Dmock.openai.fail-llm=true}) {@code /chat/completions} and {@code /responses}
 * answer 400 with an OpenAI error body, which the SDK throws as {@code BadRequestException} without
 * retrying.
 *
 * <p>Payload templates live in {@code src/main/resources/openai-payloads/}. Every received request
 * is recorded ({@link #receivedRequests()}).
 */
public final class MockOpenAiServer implements AutoCloseable {

    /** System property that switches the no-arg constructor into malformed mode. */
    public static final String MALFORMED_PROPERTY = "mock.openai.malformed";
    /** System property that switches the no-arg constructor into fail-llm mode. */
    public static final String FAIL_LLM_PROPERTY = "mock.openai.fail-llm";

    /** PCM bytes of synthesised speech per input character (24 kHz, 16-bit mono: 100 samples). */
    public static final int SPEECH_PCM_BYTES_PER_CHAR = 200;
    /** Size of the canonical WAV header the speech endpoint writes. */
    public static final int WAV_HEADER_BYTES = 44;

    private static final String SYSTEM_FINGERPRINT = "fp_34a54ae93c";
    private static final int SPEECH_SAMPLE_RATE = 24_000;
    private static final int SPEECH_CHUNK_BYTES = 4096;
    private static final long FIRST_BYTE_DELAY_MS = 40;
    private static final long STREAM_CHUNK_DELAY_MS = 4;

    private final boolean malformed;
    private final boolean failLlm;
    private final ObjectMapper json = new ObjectMapper();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private volatile boolean keepRequests = true;
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    private final AtomicInteger idSequence = new AtomicInteger();
    private final AtomicInteger unmarkedAudioSequence = new AtomicInteger();

    private HttpServer server;
    private ExecutorService executor;

    /** A server whose modes follow {@code -Dmock.openai.malformed} and {@code -Dmock.openai.fail-llm}. */
    public MockOpenAiServer() {
        this(Boolean.getBoolean(MALFORMED_PROPERTY), Boolean.getBoolean(FAIL_LLM_PROPERTY));
    }

    public MockOpenAiServer(boolean malformed) {
        this(malformed, false);
    }

    public MockOpenAiServer(boolean malformed, boolean failLlm) {
        this.malformed = malformed;
        this.failLlm = failLlm;
    }

    /**
     * Standalone use:
     * {@code java -cp openai-voice-pipeline.jar ...MockOpenAiServer [port] [--malformed] [--fail-llm]}.
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        boolean bad = Boolean.getBoolean(MALFORMED_PROPERTY);
        boolean failLlm = Boolean.getBoolean(FAIL_LLM_PROPERTY);
        for (String a : args) {
            if ("--malformed".equals(a)) {
                bad = true;
            } else if ("--fail-llm".equals(a)) {
                failLlm = true;
            } else {
                port = Integer.parseInt(a);
            }
        }
        MockOpenAiServer s = new MockOpenAiServer(bad, failLlm).start(port);
        System.out.println("mock openai listening on " + s.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        Thread.currentThread().join();
    }

    public MockOpenAiServer start() throws IOException {
        return start(0);
    }

    public synchronized MockOpenAiServer start(int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "mock-openai-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(16, tf);
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK, and every answer waits ~40 ms, which would swamp latency measurements.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public boolean isMalformed() {
        return malformed;
    }

    public boolean isFailLlm() {
        return failLlm;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** E.g. {@code http://127.0.0.1:43817/v1}: pass to the client builder's {@code baseUrl}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Whether requests are recorded for {@link #receivedRequests()}; load runs turn it off. */
    public MockOpenAiServer keepRequests(boolean keep) {
        keepRequests = keep;
        return this;
    }

    /** Snapshot of all requests received so far, in arrival order. */
    public List<ReceivedRequest> receivedRequests() {
        return Collections.unmodifiableList(new ArrayList<>(received));
    }

    /** Received requests whose path equals {@code path} (e.g. {@code /v1/chat/completions}). */
    public List<ReceivedRequest> receivedRequests(String path) {
        List<ReceivedRequest> out = new ArrayList<>();
        for (ReceivedRequest r : received) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = readAll(ex.getRequestBody());
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            if (keepRequests) {
                received.add(new ReceivedRequest(method, path, ex.getRequestURI().getRawQuery(), headers, body));
            }

            try {
                route(ex, method, path, body);
            } catch (BadRequest e) {
                if ("/v1/messages".equals(path)) {
                    sendAnthropicError(ex, 400, e.getMessage());
                } else {
                    sendError(ex, 400, e.getMessage(), "invalid_request_error", null);
                }
            } catch (RuntimeException e) {
                sendError(ex, 500, "The mock server had an error while processing your request: " + e,
                        "server_error", null);
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if ("POST".equals(method)) {
            if (failLlm && ("/v1/chat/completions".equals(path) || "/v1/responses".equals(path))) {
                // an error the real API answers with 400, which the SDK does not retry
                sendError(ex, 400, "This model's maximum context length is 128000 tokens. However, your "
                        + "messages resulted in 131072 tokens. Please reduce the length of the messages.",
                        "invalid_request_error", "context_length_exceeded");
                return;
            }
            switch (path) {
                case "/v1/chat/completions":
                    chatCompletions(ex, parseJson(body));
                    return;
                case "/v1/responses":
                    responses(ex, parseJson(body));
                    return;
                case "/v1/audio/transcriptions":
                    transcription(ex, body, ex.getRequestHeaders(), false);
                    return;
                case "/v1/audio/translations":
                    transcription(ex, body, ex.getRequestHeaders(), true);
                    return;
                case "/v1/audio/speech":
                    speech(ex, parseJson(body));
                    return;
                case "/v1/messages":
                    anthropicMessages(ex, parseJson(body));
                    return;
                default:
                    break;
            }
        }
        sendError(ex, 404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null);
    }

    // ------------------------------------------------------------------ chat completions

    private void chatCompletions(HttpExchange ex, JsonNode req) throws IOException {
        boolean stream = req.path("stream").asBoolean(false);
        if (malformed) {
            String bad = template("malformed-chat-completion.json");
            if (stream) {
                startSse(ex);
                OutputStream out = ex.getResponseBody();
                writeSse(out, compact(bad));
                writeSse(out, "[DONE]");
            } else {
                sendJson(ex, 200, bad);
            }
            return;
        }

        String requestModel = requiredText(req, "model");
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.size() == 0) {
            throw new BadRequest("[] is too short - 'messages'");
        }
        String lastUser = null;
        boolean toolResultAfterUser = false;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if ("user".equals(role)) {
                lastUser = contentText(m.path("content"));
                toolResultAfterUser = false;
            } else if ("tool".equals(role)) {
                toolResultAfterUser = true;
            }
        }
        JsonNode tools = req.path("tools");
        boolean wantsToolCall = tools.isArray() && tools.size() > 0 && !toolResultAfterUser;

        int promptTokens = 3;
        for (JsonNode m : messages) {
            promptTokens += 4 + estimateTokens(contentText(m.path("content")));
        }
        if (tools.isArray()) {
            promptTokens += estimateTokens(tools.toString());
        }

        Map<String, String> v = new LinkedHashMap<>();
        v.put("id", newId("chatcmpl-", 29));
        v.put("created", Long.toString(System.currentTimeMillis() / 1000));
        v.put("model", responseModel(requestModel));
        v.put("system_fingerprint", SYSTEM_FINGERPRINT);

        if (wantsToolCall) {
            String fn = tools.get(0).path("function").path("name").asText(ConversationScript.WEATHER_TOOL);
            String args = ConversationScript.WEATHER_TOOL.equals(fn) ? ConversationScript.WEATHER_TOOL_ARGUMENTS : "{}";
            String callId = newId("call_", 24);
            int completionTokens = 7 + estimateTokens(args);
            if (stream) {
                streamToolCall(ex, req, v, callId, fn, args, promptTokens, completionTokens);
                return;
            }
            v.put("tool_call_id", callId);
            v.put("function_name", quote(fn));
            v.put("function_arguments", quote(args));
            v.put("usage", usage(promptTokens, completionTokens));
            sendJson(ex, 200, fill("chat-completion-tool-calls.json", v));
            return;
        }

        String reply = CallCentreScript.isCallCentre(messages)
                ? CallCentreScript.reply(messages) : replyFor(lastUser, toolResultAfterUser);
        int completionTokens = estimateTokens(reply);
        if (stream) {
            streamReply(ex, req, v, reply, promptTokens, completionTokens);
            return;
        }
        v.put("content", quote(reply));
        v.put("usage", usage(promptTokens, completionTokens));
        sendJson(ex, 200, fill("chat-completion.json", v));
    }

    private void streamReply(HttpExchange ex, JsonNode req, Map<String, String> base, String reply,
                             int promptTokens, int completionTokens) throws IOException {
        boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
        startSse(ex);
        OutputStream out = ex.getResponseBody();
        pause(FIRST_BYTE_DELAY_MS);
        writeSse(out, chunk(base, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null", includeUsage));
        for (String piece : splitIntoPieces(reply)) {
            pause(STREAM_CHUNK_DELAY_MS);
            writeSse(out, chunk(base, "{\"content\":" + quote(piece) + "}", "null", includeUsage));
        }
        pause(STREAM_CHUNK_DELAY_MS);
        writeSse(out, chunk(base, "{}", "\"stop\"", includeUsage));
        finishStream(out, base, includeUsage, promptTokens, completionTokens);
    }

    private void streamToolCall(HttpExchange ex, JsonNode req, Map<String, String> base, String callId, String fn,
                                String args, int promptTokens, int completionTokens) throws IOException {
        boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
        startSse(ex);
        OutputStream out = ex.getResponseBody();
        pause(FIRST_BYTE_DELAY_MS);
        writeSse(out, chunk(base, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
                + quote(callId) + ",\"type\":\"function\",\"function\":{\"name\":" + quote(fn)
                + ",\"arguments\":\"\"}}],\"refusal\":null}", "null", includeUsage));
        for (int i = 0; i < args.length(); i += 8) {
            String part = args.substring(i, Math.min(args.length(), i + 8));
            pause(STREAM_CHUNK_DELAY_MS);
            writeSse(out, chunk(base, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + quote(part)
                    + "}}]}", "null", includeUsage));
        }
        pause(STREAM_CHUNK_DELAY_MS);
        writeSse(out, chunk(base, "{}", "\"tool_calls\"", includeUsage));
        finishStream(out, base, includeUsage, promptTokens, completionTokens);
    }

    private void finishStream(OutputStream out, Map<String, String> base, boolean includeUsage,
                              int promptTokens, int completionTokens) throws IOException {
        if (includeUsage) {
            Map<String, String> v = new LinkedHashMap<>(base);
            v.put("usage", compact(usage(promptTokens, completionTokens)));
            v.put("obfuscation", newObfuscation());
            pause(STREAM_CHUNK_DELAY_MS);
            writeSse(out, fill("chat-completion-chunk-usage.json", v).trim());
        }
        writeSse(out, "[DONE]");
    }

    private String chunk(Map<String, String> base, String delta, String finishReason, boolean includeUsage) {
        Map<String, String> v = new LinkedHashMap<>(base);
        v.put("delta", delta);
        v.put("finish_reason", finishReason);
        v.put("usage_null", includeUsage ? ",\"usage\":null" : "");
        v.put("obfuscation", newObfuscation());
        return fill("chat-completion-chunk.json", v).trim();
    }

    /** Splits text into word pieces the way token streams look: "It's", " sunny", " in", ... */
    static List<String> splitIntoPieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        return pieces;
    }

    /**
     * Chat usage, with a cached prefix as OpenAI reports it inside {@code prompt_tokens}: here half
     * of a prompt of 64 tokens or more (the system prompt and history a conversation repeats).
     */
    private String usage(int promptTokens, int completionTokens) {
        Map<String, String> u = new LinkedHashMap<>();
        u.put("prompt_tokens", Integer.toString(promptTokens));
        u.put("cached_tokens", Integer.toString(promptTokens >= 64 ? promptTokens / 2 : 0));
        u.put("completion_tokens", Integer.toString(completionTokens));
        u.put("total_tokens", Integer.toString(promptTokens + completionTokens));
        return fill("chat-completion-usage.json", u).trim().replace("\n", "\n  ");
    }

    // ------------------------------------------------------------------ responses API

    private void responses(HttpExchange ex, JsonNode req) throws IOException {
        String requestModel = requiredText(req, "model");
        JsonNode input = req.path("input");
        String lastUser = null;
        int inputTokens = 0;
        if (input.isTextual()) {
            lastUser = input.asText();
            inputTokens += 4 + estimateTokens(lastUser);
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                String text = contentText(item.path("content"));
                inputTokens += 4 + estimateTokens(text);
                if ("user".equals(item.path("role").asText())) {
                    lastUser = text;
                }
            }
        } else {
            throw new BadRequest("Missing required parameter: 'input'.");
        }
        JsonNode instructions = req.path("instructions");
        if (instructions.isTextual()) {
            inputTokens += estimateTokens(instructions.asText());
        }
        String reply = replyFor(lastUser, false);
        int outputTokens = estimateTokens(reply);

        Map<String, String> v = new LinkedHashMap<>();
        v.put("id", "resp_" + newHex(48));
        v.put("created", Long.toString(System.currentTimeMillis() / 1000));
        v.put("instructions", instructions.isTextual() ? quote(instructions.asText()) : "null");
        v.put("max_output_tokens", req.path("max_output_tokens").isNumber()
                ? Long.toString(req.path("max_output_tokens").asLong()) : "null");
        v.put("model", responseModel(requestModel));
        v.put("message_id", "msg_" + newHex(48));
        v.put("text", quote(reply));
        v.put("previous_response_id", req.path("previous_response_id").isTextual()
                ? quote(req.path("previous_response_id").asText()) : "null");
        v.put("temperature", req.path("temperature").isNumber()
                ? Double.toString(req.path("temperature").asDouble()) : "1.0");
        v.put("input_tokens", Integer.toString(inputTokens));
        v.put("output_tokens", Integer.toString(outputTokens));
        v.put("total_tokens", Integer.toString(inputTokens + outputTokens));
        String response = fill("response.json", v);
        if (req.path("stream").asBoolean(false)) {
            streamResponse(ex, (ObjectNode) json.readTree(response), reply);
        } else {
            sendJson(ex, 200, response);
        }
    }

    /**
     * The event sequence the real API streams for a one-message text answer. The final
     * {@code response.completed} carries {@code completed} as is; the earlier snapshots are it
     * without output and usage, as they are while the model is still generating.
     */
    private void streamResponse(HttpExchange ex, ObjectNode completed, String reply) throws IOException {
        ObjectNode inProgress = completed.deepCopy();
        inProgress.put("status", "in_progress");
        inProgress.putArray("output");
        inProgress.putNull("usage");
        ObjectNode doneItem = (ObjectNode) completed.path("output").get(0);
        String itemId = doneItem.path("id").asText();
        ObjectNode addedItem = doneItem.deepCopy();
        addedItem.put("status", "in_progress");
        addedItem.putArray("content");
        ObjectNode donePart = (ObjectNode) doneItem.path("content").get(0);
        ObjectNode emptyPart = donePart.deepCopy();
        emptyPart.put("text", "");

        startSse(ex);
        OutputStream out = ex.getResponseBody();
        ResponseEvents events = new ResponseEvents(out);
        pause(FIRST_BYTE_DELAY_MS);
        events.send("response.created", e -> e.set("response", inProgress));
        events.send("response.in_progress", e -> e.set("response", inProgress));
        events.send("response.output_item.added", e -> e.put("output_index", 0).set("item", addedItem));
        events.send("response.content_part.added", e -> contentRef(e, itemId).set("part", emptyPart));
        for (String piece : splitIntoPieces(reply)) {
            pause(STREAM_CHUNK_DELAY_MS);
            events.send("response.output_text.delta", e -> contentRef(e, itemId)
                    .put("delta", piece).put("obfuscation", newObfuscation()).putArray("logprobs"));
        }
        pause(STREAM_CHUNK_DELAY_MS);
        events.send("response.output_text.done", e -> contentRef(e, itemId)
                .put("text", reply).putArray("logprobs"));
        events.send("response.content_part.done", e -> contentRef(e, itemId).set("part", donePart));
        events.send("response.output_item.done", e -> e.put("output_index", 0).set("item", doneItem));
        pause(STREAM_CHUNK_DELAY_MS);
        events.send("response.completed", e -> e.set("response", completed));
    }

    private static ObjectNode contentRef(ObjectNode event, String itemId) {
        return event.put("item_id", itemId).put("output_index", 0).put("content_index", 0);
    }

    /** Writes numbered Responses API SSE events, each flushed on its own. */
    private final class ResponseEvents {
        private final OutputStream out;
        private int sequence;

        ResponseEvents(OutputStream out) {
            this.out = out;
        }

        void send(String type, Consumer<ObjectNode> fields) throws IOException {
            ObjectNode event = json.createObjectNode().put("type", type).put("sequence_number", sequence++);
            fields.accept(event);
            out.write(("event: " + type + "\n").getBytes(StandardCharsets.UTF_8));
            writeSse(out, json.writeValueAsString(event));
        }
    }

    // ------------------------------------------------------------------ audio

    private void transcription(HttpExchange ex, byte[] body, Headers headers, boolean translation) throws IOException {
        String contentType = headers.getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new BadRequest("Invalid Content-Type header (" + contentType
                    + "), expected multipart/form-data.");
        }
        String model = multipartValue(body, "model");
        if (model == null) {
            throw new BadRequest("you must provide a model parameter");
        }
        String format = multipartValue(body, "response_format");
        if (format == null) {
            format = "json";
        }
        String text = WavAudio.findSayMarker(body);
        if (text == null) {
            int turn = WavAudio.findTurnMarker(body);
            if (turn < 1) {
                turn = unmarkedAudioSequence.incrementAndGet();
            }
            text = ConversationScript.forTurn(turn).utterance;
        }
        double seconds = WavAudio.durationSeconds(body);

        boolean stream = !translation && "true".equals(multipartValue(body, "stream"));
        if (stream && !model.startsWith("whisper")) {
            streamTranscription(ex, text, seconds);
            return;
        }
        if ("text".equals(format) || "srt".equals(format) || "vtt".equals(format)) {
            sendBody(ex, 200, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("text", quote(text));
        String payload;
        if (translation) {
            payload = fill("translation.json", v);
        } else if (model.startsWith("whisper")) {
            v.put("seconds", Long.toString(Math.max(1, Math.round(Math.ceil(seconds)))));
            payload = fill("transcription-whisper-1.json", v);
        } else {
            payload = fill("transcription-gpt-4o-transcribe.json", tokenUsage(v, text, seconds));
        }
        sendJson(ex, 200, payload);
    }

    /** Usage of a gpt-4o transcription: ~10 audio tokens per second in, the text's tokens out. */
    private static Map<String, String> tokenUsage(Map<String, String> v, String text, double seconds) {
        int audioTokens = Math.max(1, (int) Math.round(seconds * 10));
        int outputTokens = estimateTokens(text);
        v.put("input_tokens", Integer.toString(audioTokens));
        v.put("audio_tokens", Integer.toString(audioTokens));
        v.put("output_tokens", Integer.toString(outputTokens));
        v.put("total_tokens", Integer.toString(audioTokens + outputTokens));
        return v;
    }

    /** Word deltas, then the full text with usage (the same numbers as the non-streaming answer). */
    private void streamTranscription(HttpExchange ex, String text, double seconds) throws IOException {
        startSse(ex);
        OutputStream out = ex.getResponseBody();
        pause(FIRST_BYTE_DELAY_MS);
        for (String piece : splitIntoPieces(text)) {
            writeSse(out, "{\"type\":\"transcript.text.delta\",\"delta\":" + quote(piece) + "}");
            pause(STREAM_CHUNK_DELAY_MS);
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("text", quote(text));
        ObjectNode done = json.createObjectNode().put("type", "transcript.text.done");
        done.setAll((ObjectNode) json.readTree(fill("transcription-gpt-4o-transcribe.json",
                tokenUsage(v, text, seconds))));
        writeSse(out, json.writeValueAsString(done));
    }

    /** Size of the speech audio the mock returns for {@code input} in WAV format. */
    public static int speechBytesFor(String input) {
        return WAV_HEADER_BYTES + SPEECH_PCM_BYTES_PER_CHAR * input.length();
    }

    private void speech(HttpExchange ex, JsonNode req) throws IOException {
        requiredText(req, "model");
        String input = requiredText(req, "input");
        requiredText(req, "voice");
        String format = req.path("response_format").asText("mp3");
        byte[] wav = WavAudio.sine(SPEECH_SAMPLE_RATE, input.length() * SPEECH_PCM_BYTES_PER_CHAR / 2, 220.0, null);
        byte[] audio;
        String mime;
        switch (format) {
            case "wav":
                audio = wav;
                mime = "audio/wav";
                break;
            case "pcm":
                audio = java.util.Arrays.copyOfRange(wav, WAV_HEADER_BYTES, wav.length);
                mime = "audio/pcm";
                break;
            case "opus":
                audio = wav; // not really Opus: the mock only synthesises PCM
                mime = "audio/opus";
                break;
            case "aac":
                audio = wav;
                mime = "audio/aac";
                break;
            case "flac":
                audio = wav;
                mime = "audio/flac";
                break;
            default:
                audio = wav;
                mime = "audio/mpeg";
                break;
        }
        addCommonHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", mime);
        ex.sendResponseHeaders(200, 0); // 0 = chunked transfer encoding
        OutputStream out = ex.getResponseBody();
        pause(FIRST_BYTE_DELAY_MS);
        for (int off = 0; off < audio.length; off += SPEECH_CHUNK_BYTES) {
            out.write(audio, off, Math.min(SPEECH_CHUNK_BYTES, audio.length - off));
            out.flush();
            pause(2);
        }
        out.close();
    }

    /** Value of a simple text field in a multipart/form-data body, or null. */
    static String multipartValue(byte[] body, String name) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String needle = "name=\"" + name + "\"";
        int i = s.indexOf(needle);
        if (i < 0) {
            return null;
        }
        int start = s.indexOf("\r\n\r\n", i);
        if (start < 0) {
            return null;
        }
        start += 4;
        int end = s.indexOf("\r\n", start);
        if (end < 0) {
            return null;
        }
        return new String(s.substring(start, end).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ Anthropic messages

    /** What the snapshot-less model aliases resolve to in the real API's answers. */
    private static String anthropicResponseModel(String requested) {
        switch (requested) {
            case "claude-haiku-4-5":
                return "claude-haiku-4-5-20251001";
            case "claude-sonnet-4-5":
                return "claude-sonnet-4-5-20250929";
            case "claude-opus-4-5":
                return "claude-opus-4-5-20251101";
            default:
                return requested;
        }
    }

    private void anthropicMessages(HttpExchange ex, JsonNode req) throws IOException {
        String requestModel = requiredText(req, "model");
        if (!req.path("max_tokens").isIntegralNumber()) {
            throw new BadRequest("max_tokens: Field required");
        }
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.size() == 0) {
            throw new BadRequest("messages: at least one message is required");
        }
        String lastUser = null;
        boolean toolResultAfterUser = false;
        int inputTokens = 0;
        JsonNode system = req.path("system");
        if (!system.isMissingNode() && !system.isNull()) {
            inputTokens += estimateTokens(contentText(system));
        }
        for (JsonNode m : messages) {
            JsonNode content = m.path("content");
            inputTokens += 3 + estimateTokens(contentText(content));
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            boolean toolResult = false;
            for (JsonNode block : content) {
                if ("tool_result".equals(block.path("type").asText())) {
                    toolResult = true;
                    inputTokens += estimateTokens(block.path("content").toString());
                }
            }
            String text = contentText(content);
            if (!text.isEmpty()) {
                lastUser = text;
                toolResultAfterUser = false;
            }
            toolResultAfterUser |= toolResult;
        }
        JsonNode tools = req.path("tools");
        if (tools.isArray()) {
            inputTokens += estimateTokens(tools.toString());
        }
        boolean wantsToolUse = tools.isArray() && tools.size() > 0 && !toolResultAfterUser;

        ObjectNode message = json.createObjectNode();
        message.put("id", newId("msg_01", 22));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", anthropicResponseModel(requestModel));
        ArrayNode content = message.putArray("content");
        String toolArguments = null;
        String text;
        if (wantsToolUse) {
            ConversationScript.Line line = ConversationScript.forUtterance(lastUser);
            text = line != null ? line.reply : "Let me look that up.";
            String fn = tools.get(0).path("name").asText(ConversationScript.WEATHER_TOOL);
            toolArguments = ConversationScript.WEATHER_TOOL.equals(fn) ? ConversationScript.WEATHER_TOOL_ARGUMENTS : "{}";
            content.addObject().put("type", "text").put("text", text);
            ObjectNode toolUse = content.addObject();
            toolUse.put("type", "tool_use");
            toolUse.put("id", newId("toolu_01", 22));
            toolUse.put("name", fn);
            toolUse.set("input", json.readTree(toolArguments));
        } else {
            text = replyFor(lastUser, toolResultAfterUser);
            content.addObject().put("type", "text").put("text", text);
        }
        int outputTokens = estimateTokens(text) + (toolArguments == null ? 0 : 12 + estimateTokens(toolArguments));
        message.put("stop_reason", wantsToolUse ? "tool_use" : "end_turn");
        message.putNull("stop_sequence");
        ObjectNode usage = message.putObject("usage");
        usage.put("input_tokens", inputTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
        usage.put("output_tokens", outputTokens);
        usage.put("service_tier", "standard");

        if (req.path("stream").asBoolean(false)) {
            streamAnthropicMessage(ex, message, toolArguments);
        } else {
            addAnthropicHeaders(ex);
            sendJson(ex, 200, json.writerWithDefaultPrettyPrinter().writeValueAsString(message));
        }
    }

    /**
     * The SSE events the Messages API streams for {@code message}: its start (usage with the input
     * count and one output token so far), each content block opened, grown word by word (text) or
     * by fragments of its JSON input (tool use) and closed, then the stop reason with the output
     * count. Every event has its {@code event:} line, as the SDKs dispatch on it.
     */
    private void streamAnthropicMessage(HttpExchange ex, ObjectNode message, String toolArguments)
            throws IOException {
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        ObjectNode startUsage = (ObjectNode) start.get("usage");
        startUsage.put("output_tokens", 1);

        addAnthropicHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        pause(FIRST_BYTE_DELAY_MS);
        anthropicEvent(out, "message_start", event -> event.set("message", start));
        JsonNode blocks = message.path("content");
        for (int index = 0; index < blocks.size(); index++) {
            JsonNode block = blocks.get(index);
            int blockIndex = index;
            ObjectNode opened = (ObjectNode) block.deepCopy();
            boolean isText = "text".equals(block.path("type").asText());
            if (isText) {
                opened.put("text", "");
            } else {
                opened.putObject("input");
            }
            anthropicEvent(out, "content_block_start", event -> event.put("index", blockIndex)
                    .set("content_block", opened));
            if (index == 0) {
                anthropicEvent(out, "ping", event -> { });
            }
            List<String> pieces = new ArrayList<>();
            if (isText) {
                pieces.addAll(splitIntoPieces(block.path("text").asText()));
            } else {
                pieces.add("");
                for (int i = 0; i < toolArguments.length(); i += 10) {
                    pieces.add(toolArguments.substring(i, Math.min(toolArguments.length(), i + 10)));
                }
            }
            for (String piece : pieces) {
                pause(STREAM_CHUNK_DELAY_MS);
                anthropicEvent(out, "content_block_delta", event -> {
                    event.put("index", blockIndex);
                    ObjectNode delta = event.putObject("delta");
                    if (isText) {
                        delta.put("type", "text_delta").put("text", piece);
                    } else {
                        delta.put("type", "input_json_delta").put("partial_json", piece);
                    }
                });
            }
            anthropicEvent(out, "content_block_stop", event -> event.put("index", blockIndex));
        }
        pause(STREAM_CHUNK_DELAY_MS);
        anthropicEvent(out, "message_delta", event -> {
            event.putObject("delta").put("stop_reason", message.path("stop_reason").asText()).putNull("stop_sequence");
            event.putObject("usage").put("output_tokens", message.path("usage").path("output_tokens").asInt());
        });
        anthropicEvent(out, "message_stop", event -> { });
    }

    private void anthropicEvent(OutputStream out, String type, Consumer<ObjectNode> body) throws IOException {
        ObjectNode event = json.createObjectNode();
        event.put("type", type);
        body.accept(event);
        out.write(("event: " + type + "\ndata: " + json.writeValueAsString(event) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void addAnthropicHeaders(HttpExchange ex) {
        Headers h = ex.getResponseHeaders();
        h.set("request-id", newId("req_011C", 20));
        h.set("anthropic-organization-id", "00000000-0000-4000-8000-766f69636574");
    }

    private void sendAnthropicError(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode error = json.createObjectNode();
        error.put("type", "error");
        error.putObject("error").put("type", "invalid_request_error").put("message", message);
        addAnthropicHeaders(ex);
        sendBody(ex, status, "application/json", json.writeValueAsBytes(error));
    }

    // ------------------------------------------------------------------ helpers

    private static String replyFor(String lastUser, boolean afterToolResult) {
        ConversationScript.Line line = ConversationScript.forUtterance(lastUser);
        if (line == null) {
            return ConversationScript.fallbackReply(lastUser);
        }
        return afterToolResult && line.replyAfterTool != null ? line.replyAfterTool : line.reply;
    }

    private static String responseModel(String requested) {
        switch (requested) {
            case "gpt-4o-mini":
                return "gpt-4o-mini-2024-07-18";
            case "gpt-4o":
                return "gpt-4o-2024-08-06";
            case "gpt-4.1-mini":
                return "gpt-4.1-mini-2025-04-14";
            case "gpt-4.1":
                return "gpt-4.1-2025-04-14";
            default:
                return requested;
        }
    }

    /** Rough tokenizer stand-in: ~4 characters per token. */
    static int estimateTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Math.max(1, (text.length() + 3) / 4);
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        return "";
    }

    private JsonNode parseJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequest("We could not parse the JSON body of your request.");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest("We could not parse the JSON body of your request. (HINT: This likely means you "
                    + "aren't using your HTTP library correctly.)");
        }
    }

    private static String requiredText(JsonNode req, String field) {
        JsonNode n = req.path(field);
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw new BadRequest("Missing required parameter: '" + field + "'.");
        }
        return n.asText();
    }

    private String quote(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newId(String prefix, int length) {
        Random r = new Random(0x5EED0000L + idSequence.incrementAndGet());
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String newHex(int length) {
        Random r = new Random(0xABCD0000L + idSequence.incrementAndGet());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    private String newObfuscation() {
        return newId("", 4 + idSequence.get() % 9);
    }

    String template(String name) {
        return templates.computeIfAbsent(name, n -> {
            try (InputStream in = MockOpenAiServer.class.getResourceAsStream("/openai-payloads/" + n)) {
                if (in == null) {
                    throw new IllegalStateException("missing payload template openai-payloads/" + n);
                }
                return new String(readAll(in), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    String fill(String templateName, Map<String, String> values) {
        String s = template(templateName);
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        int open = s.indexOf("{{");
        if (open >= 0) {
            throw new IllegalStateException("unfilled placeholder in " + templateName + ": "
                    + s.substring(open, Math.min(s.length(), open + 30)));
        }
        return s;
    }

    /** Removes the line breaks and indentation of a pretty-printed template (no newlines inside strings). */
    private static String compact(String s) {
        return s.trim().replaceAll("\\s*\\n\\s*", "");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void addCommonHeaders(HttpExchange ex) {
        Headers h = ex.getResponseHeaders();
        h.set("x-request-id", "req_" + newHex(32));
        h.set("openai-version", "2020-10-01");
        h.set("openai-processing-ms", "123");
        h.set("openai-organization", "user-voicetrace-mock");
    }

    private void startSse(HttpExchange ex) throws IOException {
        addCommonHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
    }

    private static void writeSse(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void sendJson(HttpExchange ex, int status, String body) throws IOException {
        sendBody(ex, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private void sendBody(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        addCommonHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void sendError(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("message", quote(message));
        v.put("type", type);
        v.put("code", code == null ? "null" : quote(code));
        sendJson(ex, status, fill("error.json", v));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** One request as the mock saw it. */
    public static final class ReceivedRequest {
        private final String method;
        private final String path;
        private final String query;
        private final Map<String, List<String>> headers;
        private final byte[] body;

        ReceivedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = Collections.unmodifiableMap(headers);
            this.body = body;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** Raw query string or null. */
        public String query() {
            return query;
        }

        /** Header names are lower-cased. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public byte[] body() {
            return body.clone();
        }

        public String bodyAsString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + body.length + " bytes)";
        }
    }
}
