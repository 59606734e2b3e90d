package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import dev.voicetrace.testapp.realtime.DeepgramLiveStandIn;
import dev.voicetrace.testapp.realtime.LoopbackWebSocketServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The media side of a voice system split over two services: many calls at once, each a chain of
 * turns; per turn the caller's audio is transcribed (openai-java, on a pool), the transcript and
 * the conversation so far go to the dialogue service over the JDK's HTTP client (on another pool),
 * and its reply is spoken (openai-java, on a third pool). Speech and transcription go to an
 * embedded stand-in for the OpenAI API; the dialogue service is {@link DialogueServiceApp}.
 *
 * <p>Options: {@code --dialogue URL} (required), {@code --calls N} (default 20), {@code --turns M}
 * (default 3), {@code --own-traceparent K} (every K-th caller's requests to the dialogue service
 * carry a {@code traceparent} of the application's own, which must arrive unchanged),
 * {@code --stop-dialogue} (tells the dialogue service to stop at the end), {@code --grpc-port Q}
 * (the conversation goes to the dialogue service's gRPC method on that port instead), {@code --otel-span} (each
 * turn runs inside a span the application starts through OpenTelemetry's API, as an application
 * traced with OpenTelemetry would; without an OpenTelemetry SDK or agent the API does nothing). Each call's entry
 * thread puts {@code sessionId=call-N} into SLF4J's MDC. With {@code --stt deepgram-live} the speech
 * is transcribed live instead: each call streams its turns' audio over one Deepgram live
 * transcription socket of its own (opened on the call's entry thread, to an embedded stand-in
 * reached as {@code localhost}; OkHttp's WebSocket, or with {@code --socket-client jdk} the JDK's
 * on the HTTP client that asks the dialogue service), and the socket's listener hands each
 * utterance it hears end to the same pools ({@link DeepgramLiveCall}). Output: one deterministic line per call,
 * the totals, what the stand-ins for the vendors' APIs received of trace headers, and whether the
 * application's own {@code traceparent}s arrived as sent.
 */
public final class ServiceGatewayApp {

    static final String FAKE_API_KEY = "sk-test-voicetrace-gateway-000000000000000000";
    private static final int POOL_THREADS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The application's own trace, for the callers whose requests carry their own {@code traceparent}. */
    static final String OWN_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    private final OpenAIClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI dialogue;
    private final int turns;
    private final int ownTraceparentEvery;
    private boolean otelSpans;
    private io.grpc.ManagedChannel grpc;
    private final AtomicInteger ownSent = new AtomicInteger();
    private final AtomicInteger ownKept = new AtomicInteger();
    private final ExecutorService entry;
    private final ExecutorService sttPool = Executors.newFixedThreadPool(POOL_THREADS, named("stt"));
    private final ExecutorService dialoguePool = Executors.newFixedThreadPool(POOL_THREADS, named("dialogue"));
    private final ExecutorService ttsPool = Executors.newFixedThreadPool(POOL_THREADS, named("tts"));

    /** With {@code --stt deepgram-live}: the Deepgram stand-in's {@code /v1/listen} URL and the client of its sockets. */
    private String deepgramListen;
    private DeepgramLiveCall.SocketClient sockets;
    /** OkHttp, when the sockets are OkHttp's. */
    private okhttp3.OkHttpClient okhttp;

    private ServiceGatewayApp(OpenAIClient client, URI dialogue, int turns, int ownTraceparentEvery, int entryThreads) {
        this.entry = Executors.newFixedThreadPool(entryThreads, named("call-entry"));
        this.client = client;
        this.dialogue = dialogue;
        this.turns = turns;
        this.ownTraceparentEvery = ownTraceparentEvery;
    }

    public static void main(String[] args) throws Exception {
        String dialogue = null;
        int calls = 20;
        int turns = 3;
        int ownTraceparentEvery = 0;
        boolean stopDialogue = false;
        boolean otelSpans = false;
        int grpcPort = -1;
        String stt = "openai";
        String socketClient = "okhttp";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dialogue":
                    dialogue = args[++i];
                    break;
                case "--calls":
                    calls = Integer.parseInt(args[++i]);
                    break;
                case "--turns":
                    turns = Integer.parseInt(args[++i]);
                    break;
                case "--own-traceparent":
                    ownTraceparentEvery = Integer.parseInt(args[++i]);
                    break;
                case "--stop-dialogue":
                    stopDialogue = true;
                    break;
                case "--otel-span":
                    otelSpans = true;
                    break;
                case "--grpc-port":
                    grpcPort = Integer.parseInt(args[++i]);
                    break;
                case "--stt":
                    stt = args[++i];
                    break;
                case "--socket-client":
                    socketClient = args[++i];
                    break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        if (dialogue == null) {
            System.err.println("--dialogue URL is required");
            System.exit(2);
        }
        boolean liveStt = stt.equals("deepgram-live");
        if (!liveStt && !stt.equals("openai")) {
            System.err.println("--stt is openai or deepgram-live");
            System.exit(2);
        }
        if (!socketClient.equals("okhttp") && !socketClient.equals("jdk")) {
            System.err.println("--socket-client is okhttp or jdk");
            System.exit(2);
        }
        // Every utterance is transcribed to the words its audio says; each socket's handshake is looked at for trace headers.
        AtomicInteger handshakes = new AtomicInteger();
        AtomicInteger handshakesWithTraceHeaders = new AtomicInteger();
        DeepgramLiveStandIn listen = new DeepgramLiveStandIn(WavAudio::findSayMarker);
        try (MockOpenAiServer mock = new MockOpenAiServer().start();
             LoopbackWebSocketServer deepgram = !liveStt ? null
                     : new LoopbackWebSocketServer(path -> !path.equals("/v1/listen") ? null
                             : new HandshakeCounting(listen, handshakes, handshakesWithTraceHeaders))) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            ServiceGatewayApp app = new ServiceGatewayApp(client, URI.create(dialogue), turns, ownTraceparentEvery,
                    liveStt ? calls : 4);
            app.otelSpans = otelSpans;
            if (liveStt) {
                app.deepgramListen = "ws://localhost:" + deepgram.port() + "/v1/listen";
                if (socketClient.equals("okhttp")) {
                    app.okhttp = new okhttp3.OkHttpClient();
                    app.sockets = DeepgramLiveCall.okHttp(app.okhttp);
                } else {
                    // the client that also asks the dialogue service
                    app.sockets = DeepgramLiveCall.jdk(app.http);
                }
            }
            if (grpcPort >= 0) {
                app.grpc = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort,
                        io.grpc.InsecureChannelCredentials.create()).build();
            }
            try {
                app.awaitDialogue();
                app.run(calls);
                System.out.println("vendor API requests with trace headers: " + withTraceHeaders(mock) + " of "
                        + mock.receivedRequests().size());
                if (liveStt) {
                    System.out.println("Deepgram handshakes with trace headers: " + handshakesWithTraceHeaders.get()
                            + " of " + handshakes.get());
                }
                if (ownTraceparentEvery > 0) {
                    System.out.println("own traceparent kept: " + app.ownKept.get() + " of " + app.ownSent.get());
                }
            } finally {
                if (stopDialogue) {
                    app.stopDialogue();
                }
                app.shutdown();
                client.close();
            }
        }
    }

    private static long withTraceHeaders(MockOpenAiServer mock) {
        return mock.receivedRequests().stream()
                .filter(r -> hasTraceHeaders(r.headers()))
                .count();
    }

    private static boolean hasTraceHeaders(java.util.Map<String, ?> headers) {
        return headers.containsKey("traceparent") || headers.containsKey("tracestate") || headers.containsKey("baggage");
    }

    /** The Deepgram stand-in, counting the handshakes (lower-case headers) that carried trace headers. */
    private static final class HandshakeCounting implements LoopbackWebSocketServer.Handler {
        private final LoopbackWebSocketServer.Handler standIn;
        private final AtomicInteger handshakes;
        private final AtomicInteger withTraceHeaders;

        HandshakeCounting(LoopbackWebSocketServer.Handler standIn, AtomicInteger handshakes,
                          AtomicInteger withTraceHeaders) {
            this.standIn = standIn;
            this.handshakes = handshakes;
            this.withTraceHeaders = withTraceHeaders;
        }

        @Override
        public void onOpen(LoopbackWebSocketServer.Connection connection) throws IOException {
            handshakes.incrementAndGet();
            if (hasTraceHeaders(connection.headers)) {
                withTraceHeaders.incrementAndGet();
            }
            standIn.onOpen(connection);
        }

        @Override
        public void onText(LoopbackWebSocketServer.Connection connection, String text)
                throws IOException {
            standIn.onText(connection, text);
        }

        @Override
        public void onBinary(LoopbackWebSocketServer.Connection connection, byte[] data)
                throws IOException {
            standIn.onBinary(connection, data);
        }

        @Override
        public void onClose(LoopbackWebSocketServer.Connection connection, int code)
                throws IOException {
            standIn.onClose(connection, code);
        }
    }

    /** The dialogue service may still be starting: its readiness is polled for up to a minute. */
    private void awaitDialogue() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                java.net.http.HttpResponse<String> ready = http.send(HttpRequest.newBuilder(dialogue.resolve("/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dialogue service at " + dialogue + " did not answer");
            }
            Thread.sleep(100);
        }
    }

    private void stopDialogue() {
        try {
            http.send(HttpRequest.newBuilder(dialogue.resolve("/shutdown")).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the dialogue service: " + e);
        }
    }

    private void run(int calls) {
        List<CompletableFuture<String>> running = new ArrayList<>();
        for (int caller = 1; caller <= calls; caller++) {
            int c = caller;
            running.add(CompletableFuture.supplyAsync(() -> answer(c), entry).thenCompose(call -> call));
        }
        for (CompletableFuture<String> call : running) {
            System.out.println(call.join());
        }
        System.out.println("calls done: " + calls + " calls, " + calls * turns + " turns");
    }

    /**
     * On an entry thread, as a telephony server's request handler: names the session, starts the
     * first turn; with live transcription, the entry thread streams the call's audio to its socket
     * for the whole call.
     */
    private CompletableFuture<String> answer(int caller) {
        org.slf4j.MDC.put("sessionId", "call-" + caller);
        try {
            if (deepgramListen != null) {
                List<String> history = new ArrayList<>();
                DeepgramLiveCall.run(sockets, deepgramListen, caller, turns,
                        heard -> reply(CompletableFuture.completedFuture(heard), caller, history));
                return CompletableFuture.completedFuture(done(caller, history));
            }
            return turn(caller, 1, new ArrayList<>());
        } catch (Exception e) {
            throw new IllegalStateException("call " + caller, e);
        } finally {
            org.slf4j.MDC.remove("sessionId");
        }
    }

    private String done(int caller, List<String> history) {
        return "call " + caller + ": " + turns + " turns, " + history.size() + " messages";
    }

    private CompletableFuture<String> turn(int caller, int turn, List<String> history) {
        return spanned(caller, turn, history)
                .thenCompose(bytes -> turn < turns ? turn(caller, turn + 1, history)
                        : CompletableFuture.completedFuture(done(caller, history)));
    }

    /** One turn's stages, with {@code --otel-span} inside a span of its own (a new trace per turn). */
    private CompletableFuture<Integer> spanned(int caller, int turn, List<String> history) {
        if (!otelSpans) {
            return stages(caller, turn, history);
        }
        io.opentelemetry.api.trace.Span span = io.opentelemetry.api.GlobalOpenTelemetry.getTracer("gateway")
                .spanBuilder("gateway turn").setNoParent().startSpan();
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            CompletableFuture<Integer> stages = stages(caller, turn, history);
            stages.whenComplete((result, thrown) -> span.end());
            return stages;
        }
    }

    private CompletableFuture<Integer> stages(int caller, int turn, List<String> history) {
        return reply(CompletableFuture.supplyAsync(() -> transcribe(caller, turn), sttPool), caller, history);
    }

    /** What a turn does with the words heard: the dialogue service answers (one pool), the reply is spoken (another). */
    private CompletableFuture<Integer> reply(CompletableFuture<String> heard, int caller, List<String> history) {
        return heard
                .thenApplyAsync(words -> {
                    history.add(words);
                    return askDialogue(caller, history);
                }, dialoguePool)
                .thenApplyAsync(reply -> {
                    history.add(reply);
                    return speak(reply);
                }, ttsPool);
    }

    private String transcribe(int caller, int turn) {
        byte[] audio = WavAudio.saying(CallCentreScript.utterance(caller, turn), 400 + 10 * turn);
        TranscriptionCreateParams params = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(audio))
                        .filename(CallCentreScript.audioFileName(caller, turn))
                        .contentType("audio/wav")
                        .build())
                .model(AudioModel.GPT_4O_TRANSCRIBE)
                .responseFormat(AudioResponseFormat.JSON)
                .build();
        return client.audio().transcriptions().create(params).asTranscription().text();
    }

    /** The conversation so far to the dialogue service; its answer is the reply to speak. */
    private String askDialogue(int caller, List<String> history) {
        ObjectNode body = JSON.createObjectNode().put("caller", caller);
        ArrayNode messages = body.putArray("history");
        history.forEach(messages::add);
        HttpRequest.Builder request = HttpRequest.newBuilder(dialogue.resolve("/reply"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (grpc != null) {
            return io.grpc.stub.ClientCalls.blockingUnaryCall(grpc, DialogueGrpc.REPLY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS),
                    body.toString());
        }
        String own = null;
        if (ownTraceparentEvery > 0 && caller % ownTraceparentEvery == 0) {
            own = String.format(Locale.ROOT, "00-%s-%016x-01", OWN_TRACE_ID, caller * 1000L + history.size());
            request.header("traceparent", own);
            ownSent.incrementAndGet();
        }
        try {
            java.net.http.HttpResponse<String> response = http.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("dialogue service answered " + response.statusCode() + ": "
                        + response.body());
            }
            if (own != null && own.equals(response.headers().firstValue("x-received-traceparent").orElse(null))) {
                ownKept.incrementAndGet();
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int speak(String text) {
        try (HttpResponse speech = client.audio().speech().create(SpeechCreateParams.builder()
                .input(text)
                .model(SpeechModel.GPT_4O_MINI_TTS)
                .voice(VoicePipelineApp.TTS_VOICE)
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                .build());
             InputStream audio = speech.body()) {
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n = audio.read(buffer); n >= 0; n = audio.read(buffer)) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void shutdown() {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (okhttp != null) {
            okhttp.dispatcher().executorService().shutdown();
            okhttp.connectionPool().evictAll();
        }
        entry.shutdownNow();
        sttPool.shutdownNow();
        dialoguePool.shutdownNow();
        ttsPool.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
