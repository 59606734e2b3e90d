package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One voice system, two JVMs under the agent: a gateway (speech in and out through openai-java,
 * stages on pools) calls a dialogue service (the model through openai-java, behind a servlet on
 * embedded Tomcat, or a Spring WebFlux handler on Reactor Netty that asks it behind
 * {@code publishOn} and {@code subscribeOn} hops, or over gRPC) over the JDK's HTTP client, for many calls at once, every third turn with the
 * same words for every caller. Both export to one Langfuse stand-in. Every turn must arrive as one
 * trace holding its transcription, model call and speech, the model call under the gateway's turn
 * root and linked from its transcription, every span in its caller's session; the vendor API and
 * Langfuse must get no trace header, and a {@code traceparent} the gateway sets itself must arrive as set.
 */
class TwoServicesIT {

    private static final int CALLS = 20;
    private static final int TURNS = 3;
    private static final int OWN_TRACEPARENT_EVERY = 5;
    /** Calls of the gateway that hears its callers over sockets, one socket each. */
    private static final int SOCKET_CALLS = 10;
    /** The gateway's Deepgram key (DeepgramLiveCall), sent only to its stand-in. */
    private static final String DEEPGRAM_KEY = "dg-test-voicetrace-gateway-5b7d9f1a3c2e4860";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    /** Two agents in each JVM start slowly on a busy machine. */
    private static final Duration OTEL_RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Path APP_DIR = Paths.get(System.getProperty("voicetrace.services.app.dir", "services-app"));
    private static final String GATEWAY = "dev.voicetrace.testapp.openai.ServiceGatewayApp";
    private static final String DIALOGUE = "dev.voicetrace.testapp.openai.DialogueServiceApp";
    /** The same service on Spring WebFlux and Reactor Netty, the model asked behind two scheduler hops. */
    private static final String WEBFLUX_DIALOGUE = "dev.voicetrace.testapp.openai.WebFluxDialogueApp";
    private static final Pattern AUDIO_FILE = Pattern.compile("caller-(\\d+)-turn-(\\d+)\\.wav");
    private static final Pattern CALLER = Pattern.compile("caller (\\d+)");
    private static final Pattern MESSAGE = Pattern.compile("message (?:number )?(\\d+)");

    /** Every JDK, over HTTP (a servlet, a WebFlux handler) and over gRPC. */
    static Stream<Arguments> runs() {
        return Jdks.all().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, "servlet"), Arguments.of(jdk, "webflux"),
                Arguments.of(jdk, "grpc")));
    }

    static List<String> classPath() {
        return List.of(APP_DIR.resolve("classes").toString(), JvmRun.VOICE_APP_JAR.toString(),
                APP_DIR.resolve("lib").toString() + "/*",
                // the Deepgram live stand-in of the option stt deepgram-live
                RealtimeSocketsIT.REALTIME_APP_JAR.resolveSibling("classes").toString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void everyTurnIsOneTraceAcrossBothServices(Path jdk, String transport) throws Exception {
        int port = freePort();
        boolean grpc = transport.equals("grpc");
        int grpcPort = grpc ? freePort() : -1;
        List<String> dialogueArgs = new ArrayList<>(List.of("--port", "" + port));
        List<String> gatewayArgs = new ArrayList<>(List.of("--dialogue", "http://127.0.0.1:" + port, "--calls", "" + CALLS,
                "--turns", "" + TURNS, "--stop-dialogue"));
        if (grpc) {
            dialogueArgs.addAll(List.of("--grpc-port", "" + grpcPort));
            gatewayArgs.addAll(List.of("--grpc-port", "" + grpcPort));
        } else {
            gatewayArgs.addAll(List.of("--own-traceparent", "" + OWN_TRACEPARENT_EVERY));
        }
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CompletableFuture<JvmRun.Result> dialogue = dialogueService(JvmRun.on(jdk).withAgent(), langfuse,
                    transport.equals("webflux") ? WEBFLUX_DIALOGUE : DIALOGUE, dialogueArgs, RUN_TIMEOUT);
            JvmRun.Result gateway;
            try {
                gateway = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                        .property("voicetrace.service.name", "gateway")
                        .property("voicetrace.batch.delay.ms", "200")
                        // The dialogue service only: the OpenAI stand-in, also on the loopback, is a vendor's API.
                        .property("voicetrace.propagation.hosts", "127.0.0.1:" + (grpc ? grpcPort : port))
                        .mainClass(classPath(), GATEWAY, gatewayArgs.toArray(new String[0]))
                        .run(RUN_TIMEOUT);
            } finally {
                dialogue.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JvmRun.Result served = dialogue.join();
            assertEquals(0, gateway.exitCode, gateway::toString);
            assertEquals(0, served.exitCode, served::toString);
            assertTrue(gateway.stdout.contains("calls done: " + CALLS + " calls, " + CALLS * TURNS + " turns"),
                    gateway::toString);
            assertTrue(served.stdout.contains("dialogue answered " + CALLS * TURNS + " requests"), served::toString);
            // Header hygiene: nothing added to the vendor's API; the application's own traceparent kept.
            assertTrue(gateway.valueAfter("vendor API requests with trace headers: ").startsWith("0 of "),
                    gateway::toString);
            if (!grpc) {
                int own = CALLS / OWN_TRACEPARENT_EVERY * TURNS;
                assertEquals(own + " of " + own, gateway.valueAfter("own traceparent kept: "), gateway::toString);
            }

            // Per turn: the gateway's root, transcription and speech; the dialogue service's model call.
            int expected = CALLS * TURNS * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(60));
            assertEquals(expected, spans.size(), () -> gateway + "\n" + served);
            langfuse.assertAllValid();
            for (RecordedCall request : langfuse.requests()) {
                for (String header : new String[] {"traceparent", "tracestate", "baggage"}) {
                    assertNull(request.header(header), "no " + header + " to Langfuse");
                }
            }
            TraceFacts facts = TraceFacts.of(spans);
            facts.assertOneTracePerTurn(CALLS * TURNS, gateway);
            for (ReceivedSpan root : facts.roots.values()) {
                assertNull(root.parentSpanId(), "without OpenTelemetry the turn root is the trace's root");
            }
            System.out.println("TwoServicesIT " + jdk.getFileName() + " " + transport + ": " + facts.observations
                    + " observations from 2 JVMs in " + facts.turns.size() + " traces, "
                    + facts.attributed + "/" + facts.observations + " in their caller's session and turn ("
                    + 100.0 * facts.attributed / facts.observations + "%)");
        }
    }

    /**
     * The gateway hears its callers over real-time sockets: each call streams its turns' audio to
     * a Deepgram live transcription socket of its own (OkHttp's WebSocket on the first JDK, the
     * JDK's own on the last, both on one when only one is configured), and the socket's
     * listener, when an utterance ends ({@code speech_final} on turns 1 and 3, {@code UtteranceEnd}
     * on turn 2), asks the servlet dialogue service over the JDK's HTTP client and speaks the reply,
     * on the gateway's pools; {@value #SOCKET_CALLS} calls at once, the same words for every caller
     * on turn 3. Every turn is one trace holding the socket's transcription, the remote model call
     * under the gateway's turn root and linked from that transcription, and the speech, every span
     * in its caller's session; no trace header reaches the vendors' stand-ins or Langfuse.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("socketRuns")
    void everySocketTranscribedTurnIsOneTraceAcrossBothServices(Path jdk, String socketClient) throws Exception {
        int port = freePort();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CompletableFuture<JvmRun.Result> dialogue = dialogueService(JvmRun.on(jdk).withAgent(), langfuse, DIALOGUE,
                    List.of("--port", "" + port), RUN_TIMEOUT);
            JvmRun.Result gateway;
            try {
                gateway = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                        .property("voicetrace.service.name", "gateway")
                        .property("voicetrace.batch.delay.ms", "200")
                        // The Deepgram stand-in, reached as localhost; the dialogue service on 127.0.0.1.
                        .property("voicetrace.deepgram.hosts", "localhost")
                        .property("voicetrace.propagation.hosts", "127.0.0.1:" + port)
                        .mainClass(classPath(), GATEWAY, "--dialogue", "http://127.0.0.1:" + port, "--calls",
                                "" + SOCKET_CALLS, "--turns", "" + TURNS, "--stt", "deepgram-live", "--socket-client",
                                socketClient, "--stop-dialogue")
                        .run(RUN_TIMEOUT);
            } finally {
                dialogue.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JvmRun.Result served = dialogue.join();
            assertEquals(0, gateway.exitCode, gateway::toString);
            assertEquals(0, served.exitCode, served::toString);
            assertTrue(gateway.stdout.contains("calls done: " + SOCKET_CALLS + " calls, " + SOCKET_CALLS * TURNS + " turns"),
                    gateway::toString);
            assertTrue(served.stdout.contains("dialogue answered " + SOCKET_CALLS * TURNS + " requests"), served::toString);
            assertEquals("0 of " + SOCKET_CALLS * TURNS, gateway.valueAfter("vendor API requests with trace headers: "),
                    gateway::toString);
            assertEquals("0 of " + SOCKET_CALLS, gateway.valueAfter("Deepgram handshakes with trace headers: "),
                    gateway::toString);

            int expected = SOCKET_CALLS * TURNS * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(60));
            assertEquals(expected, spans.size(), () -> gateway + "\n" + served);
            langfuse.assertAllValid();
            for (RecordedCall request : langfuse.requests()) {
                for (String header : new String[] {"traceparent", "tracestate", "baggage"}) {
                    assertNull(request.header(header), "no " + header + " to Langfuse");
                }
                assertFalse(request.bodyUtf8().contains(DEEPGRAM_KEY), "the Deepgram key is never exported");
            }
            TraceFacts facts = TraceFacts.of(spans);
            facts.assertOneTracePerTurn(SOCKET_CALLS * TURNS);
            Map<String, Integer> endedBy = new TreeMap<>();
            for (Map<String, List<ReceivedSpan>> turn : facts.turns.values()) {
                ReceivedSpan stt = turn.get("stt").get(0);
                assertEquals("stt deepgram.listen.live", stt.name());
                assertEquals(socketClient.equals("jdk") ? "java.net.http" : "okhttp",
                        stt.attribute("langfuse.observation.metadata.socket_client"));
                endedBy.merge((String) stt.attribute("langfuse.observation.metadata.ended_by"), 1, Integer::sum);
            }
            assertEquals(Map.of("speech_final", SOCKET_CALLS * 2, "UtteranceEnd", SOCKET_CALLS), endedBy);
            System.out.println("TwoServicesIT " + jdk.getFileName() + " socket STT (" + socketClient + "): " + facts.observations
                    + " observations from 2 JVMs in " + facts.turns.size() + " traces, "
                    + facts.attributed + "/" + facts.observations + " in their caller's session and turn ("
                    + 100.0 * facts.attributed / facts.observations + "%)");
        }
    }

    /** OkHttp's WebSocket on the first JDK, the JDK's on the last: both clients, every JDK, one run each. */
    static Stream<Arguments> socketRuns() {
        List<Path> jdks = Jdks.all();
        return Stream.of(Arguments.of(jdks.get(0), "okhttp"), Arguments.of(jdks.get(jdks.size() - 1), "jdk"));
    }

    /**
     * The gateway told that every service on the loopback is its own, its OpenAI stand-in
     * included: every request openai-java sends there through OkHttp within a turn carries trace
     * headers, added inside OkHttp's call by the class the agent defines beside the application's
     * OkHttp.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("firstJdk")
    void anOwnServiceCalledThroughOkHttpGetsTraceHeaders(Path jdk) throws Exception {
        int port = freePort();
        int calls = 4;
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CompletableFuture<JvmRun.Result> dialogue = dialogueService(JvmRun.on(jdk).withAgent(), langfuse, DIALOGUE,
                    List.of("--port", "" + port), RUN_TIMEOUT);
            JvmRun.Result gateway;
            try {
                gateway = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                        .property("voicetrace.service.name", "gateway")
                        .property("voicetrace.propagation.hosts", "127.0.0.1")
                        .mainClass(classPath(), GATEWAY, "--dialogue", "http://127.0.0.1:" + port, "--calls", "" + calls,
                                "--turns", "" + TURNS, "--stop-dialogue")
                        .run(RUN_TIMEOUT);
            } finally {
                dialogue.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(0, gateway.exitCode, gateway::toString);
            assertEquals(0, dialogue.join().exitCode, () -> dialogue.join().toString());
            int vendorRequests = 2 * calls * TURNS;
            assertEquals(vendorRequests + " of " + vendorRequests,
                    gateway.valueAfter("vendor API requests with trace headers: "), gateway::toString);
        }
    }

    /**
     * Both JVMs also run the OpenTelemetry Java agent (its spans logged), and the gateway runs each
     * turn inside a span of its own made through OpenTelemetry's API: the applications' output is
     * what it is without it; in the OpenTelemetry view each turn, with the request to the dialogue
     * service in it, is one trace, and the agent's turn is inside it (same trace, its root a child
     * of the application's span); the turns are still whole and in their callers' sessions.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("firstJdk")
    void besideTheOpenTelemetryAgentTheTurnIsPartOfTheApplicationsTrace(Path jdk) throws Exception {
        Path otelAgent = Paths.get(System.getProperty("voicetrace.otel.agent.jar"));
        assertTrue(java.nio.file.Files.isRegularFile(otelAgent), otelAgent + " (copied by the build)");
        int port = freePort();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CompletableFuture<JvmRun.Result> dialogue = dialogueService(
                    withOpenTelemetry(JvmRun.on(jdk).withAgent(), otelAgent, "dialogue"), langfuse, DIALOGUE,
                    List.of("--port", "" + port), OTEL_RUN_TIMEOUT);
            JvmRun.Result gateway;
            try {
                gateway = withOpenTelemetry(JvmRun.on(jdk).withAgent(), otelAgent, "gateway").exportingTo(langfuse)
                        .property("voicetrace.service.name", "gateway")
                        .property("voicetrace.batch.delay.ms", "200")
                        .property("voicetrace.propagation.hosts", "127.0.0.1:" + port)
                        .mainClass(classPath(), GATEWAY, "--dialogue", "http://127.0.0.1:" + port, "--calls", "" + CALLS,
                                "--turns", "" + TURNS, "--otel-span", "--stop-dialogue")
                        .run(OTEL_RUN_TIMEOUT);
            } finally {
                dialogue.get(OTEL_RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JvmRun.Result served = dialogue.join();
            // The applications' output, as without any agent.
            StringBuilder expected = new StringBuilder();
            for (int caller = 1; caller <= CALLS; caller++) {
                expected.append("call ").append(caller).append(": ").append(TURNS).append(" turns, ")
                        .append(2 * TURNS).append(" messages\n");
            }
            expected.append("calls done: ").append(CALLS).append(" calls, ").append(CALLS * TURNS).append(" turns\n")
                    .append("vendor API requests with trace headers: 0 of ").append(2 * CALLS * TURNS).append('\n');
            assertEquals(0, gateway.exitCode, gateway::toString);
            assertEquals(expected.toString(), gateway.stdout.replace("\r\n", "\n"), gateway::toString);
            assertEquals(0, served.exitCode, served::toString);
            assertEquals("dialogue listening on " + port + "\ndialogue answered " + CALLS * TURNS + " requests\n",
                    served.stdout.replace("\r\n", "\n"), served::toString);
            // Both agents starting at once: everything the agent instruments is instrumented.
            for (JvmRun.Result run : List.of(gateway, served)) {
                assertFalse(run.stderr.contains("could not instrument") || run.stderr.contains("is not available"),
                        run::toString);
            }

            int expectedSpans = CALLS * TURNS * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expectedSpans, Duration.ofSeconds(60));
            assertEquals(expectedSpans, spans.size(), () -> gateway + "\n" + served);
            langfuse.assertAllValid();
            TraceFacts facts = TraceFacts.of(spans);
            facts.assertOneTracePerTurn(CALLS * TURNS, gateway);

            // The OpenTelemetry view: the gateway's turn spans, the dialogue service's server spans.
            Map<String, String> turnSpans = otelSpans(gateway.stderr, "gateway turn", "INTERNAL");
            assertEquals(CALLS * TURNS, turnSpans.size(), () -> "one OpenTelemetry trace per turn:\n" + gateway.stderr);
            assertEquals(facts.roots.keySet(), turnSpans.keySet(), "the agent's turns are the application's traces");
            for (ReceivedSpan root : facts.roots.values()) {
                assertEquals(turnSpans.get(root.traceId()), root.parentSpanId(),
                        "the turn root is a child of the application's span");
            }
            Map<String, Integer> serverSpansPerTrace = new HashMap<>();
            Matcher server = OTEL_SPAN.matcher(served.stderr);
            while (server.find()) {
                if (server.group(4).equals("SERVER") && turnSpans.containsKey(server.group(2))) {
                    serverSpansPerTrace.merge(server.group(2), 1, Integer::sum);
                }
            }
            assertEquals(CALLS * TURNS, serverSpansPerTrace.size(),
                    () -> "each turn's request handled in its trace:\n" + served.stderr);
            assertTrue(serverSpansPerTrace.values().stream().allMatch(n -> n == 1), serverSpansPerTrace::toString);
            System.out.println("TwoServicesIT " + jdk.getFileName() + " beside OpenTelemetry: " + facts.turns.size()
                    + " turns, each one OpenTelemetry trace with the request in it; "
                    + facts.attributed + "/" + facts.observations + " observations attributed");
        }
    }

    static Stream<Arguments> firstJdk() {
        return Stream.of(Arguments.of(Jdks.all().get(0)));
    }

    /** Spans the OpenTelemetry agent's logging exporter printed: {@code 'name' : trace span KIND ...}. */
    private static final Pattern OTEL_SPAN = Pattern.compile("'([^']*)' : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+)");

    /** Trace id -> span id of the logged spans with this name and kind. */
    private static Map<String, String> otelSpans(String log, String name, String kind) {
        Map<String, String> spans = new HashMap<>();
        Matcher span = OTEL_SPAN.matcher(log);
        while (span.find()) {
            if (span.group(1).equals(name) && span.group(4).equals(kind)) {
                spans.put(span.group(2), span.group(3));
            }
        }
        return spans;
    }

    /**
     * The dialogue service, started in the background and exporting to {@code langfuse}. Its only
     * outgoing calls go to its OpenAI stand-in, a vendor's API on the loopback: no trace headers.
     */
    private static CompletableFuture<JvmRun.Result> dialogueService(JvmRun run, LangfuseStandIn langfuse, String mainClass,
                                                                    List<String> args, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> run.exportingTo(langfuse)
                .property("voicetrace.service.name", "dialogue")
                .property("voicetrace.batch.delay.ms", "200")
                .property("voicetrace.propagation.exclude", "127.0.0.1")
                .mainClass(classPath(), mainClass, args.toArray(new String[0]))
                .run(timeout));
    }

    private static JvmRun withOpenTelemetry(JvmRun run, Path otelAgent, String service) {
        return run.jvmOption("-javaagent:" + otelAgent)
                .property("otel.service.name", service)
                .property("otel.traces.exporter", "logging")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                // Its OkHttp instrumentation would put its own headers on the OpenAI stand-in's requests.
                .property("otel.instrumentation.okhttp.enabled", "false");
    }

    /** What the spans say, trace by trace. */
    static final class TraceFacts {
        final Map<String, ReceivedSpan> roots = new HashMap<>();
        final Map<String, Map<String, List<ReceivedSpan>>> turns = new HashMap<>();
        int observations;
        int attributed;

        static TraceFacts of(List<ReceivedSpan> spans) {
            TraceFacts facts = new TraceFacts();
            for (ReceivedSpan span : spans) {
                Object stage = span.attribute("langfuse.observation.metadata.stage");
                if (stage == null) {
                    assertNull(facts.roots.put(span.traceId(), span), "one root per trace: " + span.traceId());
                    continue;
                }
                facts.turns.computeIfAbsent(span.traceId(), t -> new HashMap<>())
                        .computeIfAbsent((String) stage, s -> new ArrayList<>()).add(span);
            }
            return facts;
        }

        void assertOneTracePerTurn(int turnCount) throws Exception {
            assertOneTracePerTurn(turnCount, null);
        }

        /** @param run the run whose output explains a failure (its agent's log), or null */
        void assertOneTracePerTurn(int turnCount, Object run) throws Exception {
            assertEquals(turnCount, turns.size(), "one trace per turn");
            assertEquals(turnCount, roots.size(), "one root per turn, from the gateway");
            Map<String, String> truthTraces = new HashMap<>();
            for (Map.Entry<String, Map<String, List<ReceivedSpan>>> trace : turns.entrySet()) {
                Map<String, List<ReceivedSpan>> stages = trace.getValue();
                assertEquals(List.of(1, 1, 1), List.of(count(stages, "stt"), count(stages, "llm"), count(stages, "tts")),
                        () -> "trace " + trace.getKey() + " has stages " + stages.keySet() + "; "
                                + turns.values().stream().filter(t -> t.size() != 3).count() + " of " + turns.size()
                                + " traces are not whole" + (run == null ? "" : "\n" + run));
                ReceivedSpan root = roots.get(trace.getKey());
                assertNotNull(root, "trace " + trace.getKey() + " has its root");
                assertEquals("gateway", root.resourceAttributes().get("service.name"));
                ReceivedSpan stt = stages.get("stt").get(0);
                ReceivedSpan llm = stages.get("llm").get(0);
                ReceivedSpan tts = stages.get("tts").get(0);
                assertEquals("gateway", stt.resourceAttributes().get("service.name"));
                assertEquals("dialogue", llm.resourceAttributes().get("service.name"));
                assertEquals("gateway", tts.resourceAttributes().get("service.name"));
                assertEquals(root.spanId(), llm.parentSpanId(), "the model call hangs under the gateway's turn root");
                assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.linked_from"),
                        "the model call is linked from the transcription that fed it");
                int[] heard = sttTruth(stt);
                int[] asked = truthOf("llm", json(llm, "langfuse.observation.input"));
                int[] spoken = truthOf("tts", json(tts, "langfuse.observation.input"));
                String session = "call-" + heard[0];
                for (ReceivedSpan span : List.of(root, stt, llm, tts)) {
                    assertEquals(session, span.attribute("langfuse.session.id"), () -> span + " in " + session);
                }
                // The user message count is the turn number; the reply spoken names caller and message.
                boolean same = heard[0] == asked[0] && heard[1] == asked[1] && heard[0] == spoken[0];
                assertTrue(same, () -> "trace " + trace.getKey() + " mixes callers or turns");
                assertNull(truthTraces.put(heard[0] + "/" + heard[1], trace.getKey()), "one trace per caller's turn");
                observations += 3;
                attributed += same ? 3 : 0;
            }
        }

        private static int count(Map<String, List<ReceivedSpan>> stages, String stage) {
            List<ReceivedSpan> spans = stages.get(stage);
            return spans == null ? 0 : spans.size();
        }
    }

    /**
     * Caller and turn a transcription is about: a call's, from its file name; a socket's, from the
     * words heard (the caller names themselves and a booking, caller x 10 + turn), and on the
     * turn where every caller says the same words, the caller from the session the socket was
     * opened in, which the rest of the trace (the dialogue service's model call names its caller)
     * must match.
     */
    static int[] sttTruth(ReceivedSpan stt) throws Exception {
        JsonNode input = json(stt, "langfuse.observation.input");
        if (input.path("audio").has("filename")) {
            return truthOf("stt", input);
        }
        String heard = json(stt, "langfuse.observation.output").path("text").asText();
        if (heard.equals("Yes, please.")) {
            String session = String.valueOf(stt.attribute("langfuse.session.id"));
            assertTrue(session.startsWith("call-"), session);
            return new int[] {Integer.parseInt(session.substring("call-".length())), 3};
        }
        Matcher words = SOCKET_WORDS.matcher(heard);
        assertTrue(words.matches(), heard);
        int caller = Integer.parseInt(words.group(1));
        return new int[] {caller, Integer.parseInt(words.group(2)) - caller * 10};
    }

    /** What a caller of the socket gateway says on the turns that are their own. */
    private static final Pattern SOCKET_WORDS = Pattern.compile("This is caller (\\d+), I would like to move booking (\\d+)\\.");

    /** Caller and turn (transcription, model call) or caller and message number (speech) an observation is about. */
    static int[] truthOf(String stage, JsonNode input) {
        switch (stage) {
            case "stt": {
                Matcher file = AUDIO_FILE.matcher(input.path("audio").path("filename").asText());
                assertTrue(file.matches(), input::toString);
                return new int[] {Integer.parseInt(file.group(1)), Integer.parseInt(file.group(2))};
            }
            case "llm": {
                JsonNode messages = input.isArray() ? input : input.path("messages");
                int caller = -1;
                int userMessages = 0;
                for (JsonNode message : messages) {
                    String role = message.path("role").asText();
                    if ("system".equals(role)) {
                        Matcher m = Pattern.compile("caller (\\d+)").matcher(message.path("content").toString());
                        assertTrue(m.find(), message::toString);
                        caller = Integer.parseInt(m.group(1));
                    } else if ("user".equals(role)) {
                        userMessages++;
                    }
                }
                return new int[] {caller, userMessages};
            }
            default: {
                String text = input.path("text").asText();
                Matcher caller = CALLER.matcher(text);
                Matcher message = MESSAGE.matcher(text);
                assertTrue(caller.find() && message.find(), text);
                return new int[] {Integer.parseInt(caller.group(1)), Integer.parseInt(message.group(1))};
            }
        }
    }
}
