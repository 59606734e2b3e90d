package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static dev.voicetrace.it.Spans.names;
import static dev.voicetrace.it.Spans.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-time voice over WebSockets (test app {@code realtime-voice-app}): three OpenAI Realtime
 * speech-to-speech calls at once over the JDK's {@code java.net.http.WebSocket}, each with a
 * tool call, a barge-in and a refused configuration, against a loopback stand-in speaking the
 * Realtime API's GA events. Every call is its own session; every caller turn one trace with its
 * transcription and realtime generations; usage priced at text and audio rates; the
 * application's output unchanged; the API key never exported.
 */
class RealtimeSocketsIT {

    static final Path REALTIME_APP_JAR = Paths.get(System.getProperty("voicetrace.realtime.app.jar",
            "realtime-voice-app.jar"));
    static final int CALLS = 3;
    /** The app's demo key (OpenAiRealtimeCall.API_KEY), sent to its loopback stand-in only. */
    static final String API_KEY = "sk-test-voicetrace-realtime-7d3f9a2c5e1b8064";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void openAiRealtimeCallsAreSessionsOfLinkedPricedTurns(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "realtime"};
            JvmRun.Result plain = JvmRun.on(jdk).jar(REALTIME_APP_JAR, arguments).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    // the stand-in listens on loopback
                    .property("voicetrace.openai.hosts", "127.0.0.1")
                    .jar(REALTIME_APP_JAR, arguments)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains("realtime done: " + CALLS + " calls"), traced::toString);
            assertFalse(traced.stderr.contains("could not"), traced::toString);

            // per call: turn 1 = root, transcription, tool-call response, the tool, spoken response;
            // turn 2 = root, transcription, cancelled response, the error event
            int expected = CALLS * 9;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(30));
            assertEquals(expected, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                assertFalse(call.bodyUtf8().contains(API_KEY), "the API key is never exported");
                assertFalse(call.bodyUtf8().contains("Bearer"), "no Authorization header is exported");
            }
            assertFalse(traced.stderr.contains(API_KEY), "the API key is never logged");

            Map<Object, List<ReceivedSpan>> sessions = spans.stream()
                    .collect(Collectors.groupingBy(span -> span.attribute("langfuse.session.id")));
            assertEquals(CALLS, sessions.size(), () -> "one session per socket: " + sessions.keySet());
            for (Map.Entry<Object, List<ReceivedSpan>> session : sessions.entrySet()) {
                assertTrue(String.valueOf(session.getKey()).startsWith("conversation-"), session.getKey()::toString);
                checkCall(session.getValue(), traced);
            }
        }
    }

    /**
     * The cascaded pipeline: Deepgram live over OkHttp, openai-java streaming on a worker pool, the
     * reply spoken through ElevenLabs stream-input over the JDK's WebSocket; three calls at once
     * saying the same words: each utterance's turn holds its own call's stages, by context.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void cascadedCallsLinkTheirUtterancesRepliesAndSpeech(Path jdk) throws Exception {
        String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "cascaded"};
        checkCascaded(() -> JvmRun.on(jdk).jar(REALTIME_APP_JAR, arguments), Cascade.OKHTTP_AND_JDK);
    }

    /** The same calls with OkHttp 5 ahead of the fat jar's OkHttp 4 on the class path. */
    @org.junit.jupiter.api.Test
    void cascadedCallsOnOkHttp5() throws Exception {
        List<String> classPath = List.of(REALTIME_APP_JAR.resolveSibling("okhttp5") + "/*", REALTIME_APP_JAR.toString());
        String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "cascaded"};
        checkCascaded(() -> JvmRun.on(Paths.get(System.getProperty("java.home")))
                .mainClass(classPath, "dev.voicetrace.testapp.realtime.RealtimeVoiceApp", arguments),
                Cascade.OKHTTP_AND_JDK);
    }

    /** What a cascaded pipeline's run prints and records, by the clients it uses. */
    static final class Cascade {
        static final Cascade OKHTTP_AND_JDK = new Cascade("cascaded", "okhttp", "java.net.http",
                "tts elevenlabs.text_to_speech.stream_input", List.of("dg-test-voicetrace-live-3a9c5e7f1b2d4068",
                        "xi-test-voicetrace-stream-8e2b4d6f0a1c3957", "sk-test-voicetrace-cascaded"));
        static final Cascade JAKARTA = new Cascade("jakarta", "jakarta.websocket", "jakarta.websocket",
                "tts elevenlabs.text_to_speech.multi_stream_input", List.of("dg-test-voicetrace-jakarta-6c1e3a5b7d9f2048",
                        "xi-test-voicetrace-multi-4f6a8c0e2b4d1357", "sk-test-voicetrace-jakarta"));

        /** The scenario, which starts the app's output lines. */
        final String scenario;
        final String sttClient;
        final String ttsClient;
        final String ttsName;
        final List<String> keys;

        Cascade(String scenario, String sttClient, String ttsClient, String ttsName, List<String> keys) {
            this.scenario = scenario;
            this.sttClient = sttClient;
            this.ttsClient = ttsClient;
            this.ttsName = ttsName;
            this.keys = keys;
        }
    }

    /**
     * The cascaded pipeline over the Jakarta WebSocket client API (Tyrus, from the fat jar): Deepgram
     * live through a programmatic endpoint and message handler, the replies spoken through one
     * ElevenLabs multi-stream-input socket per call (an annotated endpoint), one context per reply.
     */
    @org.junit.jupiter.api.Test
    void jakartaCallsOnTyrusSpeakEachReplyInItsOwnContext() throws Exception {
        String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "jakarta"};
        JvmRun.Result traced = checkCascaded(() -> JvmRun.on(Paths.get(System.getProperty("java.home")))
                .jar(REALTIME_APP_JAR, arguments), Cascade.JAKARTA);
        assertTrue(traced.stdout.contains("(org.glassfish.tyrus.client.ClientManager)"), traced::toString);
    }

    /** The same calls on Tomcat's implementation of the API, ahead of the fat jar on the class path. */
    @org.junit.jupiter.api.Test
    void jakartaCallsOnTomcat() throws Exception {
        List<String> classPath = List.of(REALTIME_APP_JAR.resolveSibling("tomcat-websocket") + "/*",
                REALTIME_APP_JAR.toString());
        String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "jakarta"};
        JvmRun.Result traced = checkCascaded(() -> JvmRun.on(Paths.get(System.getProperty("java.home")))
                .mainClass(classPath, "dev.voicetrace.testapp.realtime.RealtimeVoiceApp", arguments), Cascade.JAKARTA);
        assertTrue(traced.stdout.contains("(org.apache.tomcat.websocket.WsWebSocketContainer)"), traced::toString);
    }

    private static JvmRun.Result checkCascaded(java.util.function.Supplier<JvmRun> run, Cascade cascade)
            throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = run.get().run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = run.get().withAgent().exportingTo(langfuse)
                    .property("voicetrace.deepgram.hosts", "127.0.0.1")
                    .property("voicetrace.elevenlabs.hosts", "127.0.0.1")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains(cascade.scenario + " done: " + CALLS + " calls"), traced::toString);
            assertFalse(traced.stderr.contains("could not"), traced::toString);

            int expected = CALLS * 2 * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(30));
            assertEquals(expected, spans.size(), () -> "spans: " + Spans.linking(spans) + "\n" + traced);
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                for (String key : cascade.keys) {
                    assertFalse(call.bodyUtf8().contains(key), "an API key is never exported: " + key);
                }
            }
            Map<Object, List<ReceivedSpan>> sessions = spans.stream()
                    .collect(Collectors.groupingBy(span -> span.attribute("langfuse.session.id")));
            assertEquals(CALLS, sessions.size(), () -> "one session per call: " + sessions.keySet());
            for (List<ReceivedSpan> session : sessions.values()) {
                Map<String, List<ReceivedSpan>> traces = session.stream()
                        .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
                assertEquals(2, traces.size(), () -> names(session).toString());
                for (List<ReceivedSpan> trace : traces.values()) {
                    checkCascadedTurn(trace, traced, cascade);
                }
            }
            return traced;
        }
    }

    /**
     * AssemblyAI Universal-Streaming over the JDK's WebSocket (formatted turns, a temporary token in
     * the URL), each turn answered on the listener's thread and spoken through one Deepgram
     * streaming speech socket over OkHttp per call, flushed once per reply.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void assemblyAiTurnsAnsweredAndSpokenThroughDeepgram(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            String[] arguments = {"--calls", Integer.toString(CALLS), "--scenario", "assemblyai"};
            JvmRun.Result plain = JvmRun.on(jdk).jar(REALTIME_APP_JAR, arguments).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.deepgram.hosts", "127.0.0.1")
                    .property("voicetrace.assemblyai.hosts", "127.0.0.1")
                    .jar(REALTIME_APP_JAR, arguments)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            assertFalse(traced.stderr.contains("could not"), traced::toString);
            int expected = CALLS * 2 * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expected, Duration.ofSeconds(30));
            assertEquals(expected, spans.size(), () -> "spans: " + Spans.linking(spans) + "\n" + traced);
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                for (String key : List.of("aai-temp-token-voicetrace-5b7d9f1e3a2c4068",
                        "dg-test-voicetrace-speak-1f3e5d7c9b2a4860", "sk-test-voicetrace-assemblyai")) {
                    assertFalse(call.bodyUtf8().contains(key), "a credential is never exported: " + key);
                }
            }
            Map<Object, List<ReceivedSpan>> sessions = spans.stream()
                    .collect(Collectors.groupingBy(span -> span.attribute("langfuse.session.id")));
            assertEquals(CALLS, sessions.size(), () -> "one session per call: " + sessions.keySet());
            for (List<ReceivedSpan> session : sessions.values()) {
                Map<String, List<ReceivedSpan>> traces = session.stream()
                        .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
                assertEquals(2, traces.size(), () -> names(session).toString());
                for (List<ReceivedSpan> trace : traces.values()) {
                    assertEquals(4, trace.size(), () -> names(trace).toString());
                    ReceivedSpan root = only(trace, ReceivedSpan::isRoot);
                    ReceivedSpan stt = only(trace, s -> s.name().equals("stt assemblyai.streaming"));
                    ReceivedSpan llm = only(trace, s -> s.name().equals("llm openai.chat.completions"));
                    ReceivedSpan tts = only(trace, s -> s.name().equals("tts deepgram.speak.live"));
                    for (ReceivedSpan span : List.of(stt, llm, tts)) {
                        assertEquals(root.spanId(), span.parentSpanId(), span::toString);
                    }
                    String heard = json(stt, "langfuse.observation.output").path("text").asText();
                    int turn = heard.startsWith("Can you") ? 1 : 2;
                    assertEquals(traced.valueAfter("assemblyai call 1 turn " + turn + " heard: "), heard);
                    assertTrue(json(stt, "langfuse.observation.output").path("turn_is_formatted").asBoolean());
                    assertEquals("universal-streaming-english", stt.attribute("langfuse.observation.model.name"));
                    assertEquals("java.net.http", stt.attribute("langfuse.observation.metadata.socket_client"));
                    long billedMs = Long.parseLong((String) stt.attribute("langfuse.observation.metadata.billed_audio_ms"));
                    assertEquals(0.15 * billedMs / 3_600_000.0, json(stt, "langfuse.observation.cost_details")
                            .path("total").asDouble(), 1e-12);
                    JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
                    assertEquals(heard, messages.path(messages.size() - 1).path("content").asText());
                    String reply = traced.valueAfter("assemblyai call 1 turn " + turn + " reply: ");
                    assertEquals(reply, json(tts, "langfuse.observation.input").path("text").asText());
                    assertEquals(llm.spanId(), tts.attribute("langfuse.observation.metadata.linked_from"));
                    assertEquals("okhttp", tts.attribute("langfuse.observation.metadata.socket_client"));
                    long speechBytes = Long.parseLong(traced.valueAfter("assemblyai call 1 turn " + turn + " speech bytes: "));
                    assertEquals(speechBytes, json(tts, "langfuse.observation.output").path("audio_bytes").asLong());
                    assertEquals(speechBytes / 48, json(tts, "langfuse.observation.output").path("duration_ms").asLong());
                    assertEquals(reply.length() * 30.00 / 1e6, json(tts, "langfuse.observation.cost_details")
                            .path("total").asDouble(), 1e-12);
                    assertNotNull(tts.attribute("langfuse.observation.completion_start_time"));
                }
            }
        }
    }

    private static void checkCascadedTurn(List<ReceivedSpan> trace, JvmRun.Result run, Cascade cascade)
            throws Exception {
        assertEquals(4, trace.size(), () -> names(trace).toString());
        ReceivedSpan root = only(trace, ReceivedSpan::isRoot);
        ReceivedSpan stt = only(trace, s -> s.name().equals("stt deepgram.listen.live"));
        ReceivedSpan llm = only(trace, s -> s.name().equals("llm openai.chat.completions"));
        ReceivedSpan tts = only(trace, s -> s.name().equals(cascade.ttsName));
        for (ReceivedSpan span : List.of(stt, llm, tts)) {
            assertEquals(root.spanId(), span.parentSpanId(), span::toString);
        }
        String heard = json(stt, "langfuse.observation.output").path("text").asText();
        int turn = heard.startsWith("What should") ? 1 : 2;
        String call = cascade.scenario + " call 1 turn " + turn;
        assertEquals(run.valueAfter(call + " heard: "), heard);
        String reply = run.valueAfter(call + " reply: ");
        long speechBytes = Long.parseLong(run.valueAfter(call + " speech bytes: "));

        assertEquals("nova-3", stt.attribute("langfuse.observation.model.name"));
        assertEquals(cascade.sttClient, stt.attribute("langfuse.observation.metadata.socket_client"));
        assertEquals("2000", stt.attribute("langfuse.observation.metadata.audio_ms"));
        assertEquals(turn == 1 ? "speech_final" : "UtteranceEnd", stt.attribute("langfuse.observation.metadata.ended_by"));
        assertNotNull(stt.attribute("langfuse.observation.metadata.request_id"));
        assertEquals(3, json(stt, "langfuse.observation.output").path("interim_results").asInt());
        assertEquals(0.0043 * 2 / 60, json(stt, "langfuse.observation.cost_details").path("total").asDouble(), 1e-12);
        assertNotNull(stt.attribute("langfuse.observation.completion_start_time"), "the first interim result");

        JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
        assertEquals(heard, messages.path(messages.size() - 1).path("content").asText());
        assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.linked_from"));

        JsonNode ttsInput = json(tts, "langfuse.observation.input");
        assertEquals(reply, ttsInput.path("text").asText().trim());
        assertEquals("21m00Tcm4TlvDq8ikWAM", ttsInput.path("voice_id").asText());
        assertEquals(llm.spanId(), tts.attribute("langfuse.observation.metadata.linked_from"));
        assertEquals(cascade.ttsClient, tts.attribute("langfuse.observation.metadata.socket_client"));
        if (cascade == Cascade.JAKARTA) {
            // one context per reply on the call's one socket
            assertEquals("reply-" + turn, ttsInput.path("context_id").asText());
            assertNull(tts.attribute("langfuse.observation.metadata.interrupted"), "spoken to its isFinal");
        }
        JsonNode ttsOutput = json(tts, "langfuse.observation.output");
        assertEquals(speechBytes, ttsOutput.path("audio_bytes").asLong());
        assertEquals(speechBytes / 32, ttsOutput.path("duration_ms").asLong(), "PCM16 at 16 kHz");
        long characters = Long.parseLong((String) tts.attribute("langfuse.observation.metadata.tts_characters"));
        assertEquals(speechBytes, characters * 640, "the stand-in speaks 20 ms a character");
        assertEquals(characters * 50.00 / 1e6, json(tts, "langfuse.observation.cost_details").path("total").asDouble(),
                1e-12);
        assertNotNull(tts.attribute("langfuse.observation.completion_start_time"), "the first audio chunk");
        assertNotNull(root.attribute("langfuse.trace.metadata.voice_to_voice_ms"));
        assertNotNull(root.attribute("langfuse.trace.metadata.tts_time_to_first_byte_ms"));
    }

    private static void checkCall(List<ReceivedSpan> spans, JvmRun.Result run) throws Exception {
        Map<String, List<ReceivedSpan>> traces = spans.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
        assertEquals(2, traces.size(), () -> "two caller turns: " + names(spans));
        List<List<ReceivedSpan>> turns = traces.values().stream()
                .sorted(Comparator.comparingLong(trace -> only(trace, ReceivedSpan::isRoot).startTimeUnixNano()))
                .collect(Collectors.toList());
        for (List<ReceivedSpan> trace : turns) {
            ReceivedSpan root = only(trace, ReceivedSpan::isRoot);
            assertEquals("voice-turn", root.name());
            for (ReceivedSpan span : trace) {
                if (!span.isRoot()) {
                    assertEquals(root.spanId(), span.parentSpanId(), span::toString);
                }
            }
        }

        // turn 1: the question, a function call, the function, the spoken answer after its output
        List<ReceivedSpan> first = turns.get(0);
        assertEquals(5, first.size(), () -> names(first).toString());
        ReceivedSpan stt = only(first, s -> s.name().startsWith("stt "));
        assertEquals("stt openai.realtime.input_audio_transcription", stt.name());
        assertEquals("gpt-4o-transcribe", stt.attribute("langfuse.observation.model.name"));
        assertEquals(run.valueAfter("realtime call 1 turn 1 heard: "), json(stt, "langfuse.observation.output")
                .path("text").asText());
        assertEquals(JSON.readTree("{\"input\":0,\"output\":8,\"input_audio_tokens\":23,\"total\":31}"),
                json(stt, "langfuse.observation.usage_details"));
        assertEquals((23 * 6.00 + 8 * 10.00) / 1e6, json(stt, "langfuse.observation.cost_details").path("total")
                .asDouble(), 1e-12);
        assertEquals(72_000, json(stt, "langfuse.observation.input").path("audio").path("bytes").asLong(),
                "15 appends of 4800 bytes");
        assertEquals(1400, json(stt, "langfuse.observation.input").path("audio").path("duration_ms").asLong());

        List<ReceivedSpan> generations = first.stream().filter(s -> s.name().equals("llm openai.realtime"))
                .sorted(Comparator.comparingLong(ReceivedSpan::startTimeUnixNano)).collect(Collectors.toList());
        assertEquals(2, generations.size(), () -> names(first).toString());
        ReceivedSpan toolCall = generations.get(0);
        ReceivedSpan spoken = generations.get(1);
        assertEquals("gpt-realtime-2025-08-28", toolCall.attribute("langfuse.observation.model.name"));
        JsonNode parameters = json(toolCall, "langfuse.observation.model.parameters");
        assertEquals("marin", parameters.path("voice").asText());
        assertEquals("gpt-4o-transcribe", parameters.path("input_audio_transcription_model").asText());
        JsonNode call = json(toolCall, "langfuse.observation.output").path("tool_calls").path(0).path("function");
        assertEquals("get_weather", call.path("name").asText());
        assertEquals("{\"city\":\"Lisbon\"}", call.path("arguments").asText());
        JsonNode toolInput = json(toolCall, "langfuse.observation.input").path("messages");
        assertEquals("user", toolInput.path(1).path("role").asText());
        assertEquals(run.valueAfter("realtime call 1 turn 1 heard: "), toolInput.path(1).path("content").asText());
        assertEquals(stt.spanId(), toolCall.attribute("langfuse.observation.metadata.linked_from"));

        assertEquals(run.valueAfter("realtime call 1 turn 1 reply: "), json(spoken, "langfuse.observation.output")
                .path("content").asText());
        JsonNode toolMessage = json(spoken, "langfuse.observation.input").path("messages").path(1);
        assertEquals("tool", toolMessage.path("role").asText());

        // the function ran in the application between the two responses: an inferred tool observation
        ReceivedSpan tool = only(first, s -> "tool".equals(s.attribute("langfuse.observation.type")));
        assertEquals("tool get_weather", tool.name());
        assertEquals("inferred", tool.attribute("langfuse.observation.metadata.timing"));
        assertEquals("Lisbon", json(tool, "langfuse.observation.input").path("city").asText());
        assertEquals(JSON.readTree(toolMessage.path("content").asText()), json(tool, "langfuse.observation.output"));
        assertEquals(toolCall.endTimeUnixNano(), tool.startTimeUnixNano(), "from the end of the asking response");
        assertEquals(spoken.startTimeUnixNano(), tool.endTimeUnixNano(), "to the start of the answering one");
        long audioBytes = Long.parseLong(run.valueAfter("realtime call 1 turn 1 audio bytes: "));
        assertEquals(audioBytes, json(spoken, "langfuse.observation.output").path("audio").path("bytes").asLong());
        assertEquals(audioBytes / 48, json(spoken, "langfuse.observation.output").path("audio").path("duration_ms")
                .asLong());
        assertNotNull(spoken.attribute("langfuse.observation.completion_start_time"), "first audio delta");
        // Langfuse's disjoint buckets: 56 uncached text tokens in, 12 text tokens out
        assertEquals(JSON.readTree("{\"input\":56,\"input_cached_tokens\":384,\"input_audio_tokens\":20,\"output\":12,"
                + "\"output_audio_tokens\":60,\"total\":532}"), json(spoken, "langfuse.observation.usage_details"));
        assertEquals((56 * 4.00 + 384 * 0.40 + 20 * 32.00 + 12 * 16.00 + 60 * 64.00) / 1e6,
                json(spoken, "langfuse.observation.cost_details").path("total").asDouble(), 1e-12);
        assertNotNull(only(first, ReceivedSpan::isRoot).attribute("langfuse.trace.metadata.voice_to_voice_ms"));

        // turn 2: the caller speaks over the answer; then a configuration the service refuses
        List<ReceivedSpan> second = turns.get(1);
        assertEquals(4, second.size(), () -> names(second).toString());
        ReceivedSpan stt2 = only(second, s -> s.name().startsWith("stt "));
        assertEquals(run.valueAfter("realtime call 1 turn 2 heard: "), json(stt2, "langfuse.observation.output")
                .path("text").asText());
        ReceivedSpan cancelled = only(second, s -> s.name().equals("llm openai.realtime")
                && !"ERROR".equals(s.attribute("langfuse.observation.level")));
        assertEquals("true", cancelled.attribute("langfuse.observation.metadata.interrupted"));
        assertEquals("turn_detected", cancelled.attribute("langfuse.observation.metadata.status_reason"));
        assertEquals("400", cancelled.attribute("langfuse.observation.metadata.audio_heard_ms"));
        assertEquals(400, json(cancelled, "langfuse.observation.output").path("audio").path("heard_ms").asLong());
        assertEquals(JSON.readTree("{\"input\":152,\"input_cached_tokens\":512,\"input_audio_tokens\":36,\"output\":10,"
                + "\"output_audio_tokens\":40,\"total\":750}"), json(cancelled, "langfuse.observation.usage_details"));
        ReceivedSpan error = only(second, s -> "ERROR".equals(s.attribute("langfuse.observation.level")));
        assertEquals("llm openai.realtime", error.name());
        String message = String.valueOf(error.attribute("langfuse.observation.status_message"));
        assertTrue(message.startsWith("invalid_request_error: Invalid value: 'audio/pcm32'"), message);
        assertNull(error.attribute("langfuse.observation.usage_details"));
        assertNotNull(only(second, ReceivedSpan::isRoot).attribute("langfuse.trace.metadata.voice_to_voice_ms"));
    }
}
