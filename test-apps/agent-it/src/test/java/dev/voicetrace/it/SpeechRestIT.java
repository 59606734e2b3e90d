package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.hasUserMessage;
import static dev.voicetrace.it.Spans.json;
import static dev.voicetrace.it.Spans.names;
import static dev.voicetrace.it.Spans.only;
import static dev.voicetrace.it.Spans.traceWithTranscript;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.sun.tools.attach.VirtualMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The speech vendors' REST APIs called with the JDK's {@code java.net.http} client and OkHttp
 * (test app {@code speech-rest-app}): Deepgram speech-to-text, an openai-java LLM and ElevenLabs or Deepgram
 * text-to-speech per live turn, then an AssemblyAI voicemail uploaded, transcribed and polled until
 * completed.
 * Each utterance is one trace with its three stages linked, with the vendors' fields, usage,
 * cost and time to first audio byte; the application's output is unchanged; no API key leaves.
 */
class SpeechRestIT {

    static final int TURNS = 4;
    /** The test app's demo keys (see SpeechRestApp): sent to its loopback mock only. */
    static final String[] KEYS = {
        "dg-test-voicetrace-4f7a1c9e2b6d8053", "xi-test-voicetrace-9b2e5d7c1a3f6084",
        "aai-test-voicetrace-6c1d8e3a7f2b5094", "sk-test-voicetrace-speech-000000000000"
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void deepgramOpenAiElevenLabsAndAssemblyAiTurnsAreLinkedTraces(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.SPEECH_APP_JAR).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "call-speech-rest-1")
                    // the app's mock listens on loopback: every vendor's API is served there
                    .property("voicetrace.deepgram.hosts", "127.0.0.1")
                    .property("voicetrace.elevenlabs.hosts", "api.elevenlabs.io,127.0.0.1")
                    .property("voicetrace.assemblyai.hosts", "127.0.0.1")
                    .jar(JvmRun.SPEECH_APP_JAR)
                    .run(VoicePipelineIT.RUN_TIMEOUT);

            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains("pipeline done: " + TURNS + " turns"), traced::toString);
            assertFalse(traced.stderr.contains("could not"), traced::toString);

            // per turn: STT, LLM, TTS and the turn's root; the transcript's creation and polls are no spans
            int expectedSpans = TURNS * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(expectedSpans, Duration.ofSeconds(30));
            assertEquals(expectedSpans, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                String body = call.bodyUtf8();
                for (String key : KEYS) {
                    assertFalse(body.contains(key), "an API key is never exported: " + key);
                }
            }
            for (String key : KEYS) {
                assertFalse(traced.stderr.contains(key), "an API key is never logged: " + key);
            }

            Map<String, List<ReceivedSpan>> traces = spans.stream()
                    .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
            assertEquals(TURNS, traces.size(), () -> "one trace per utterance: " + names(spans));
            for (int turn = 1; turn <= TURNS; turn++) {
                String heard = traced.valueAfter("turn " + turn + " heard: ");
                String reply = traced.valueAfter("turn " + turn + " reply: ");
                long speechBytes = Long.parseLong(traced.valueAfter("turn " + turn + " speech bytes: "));
                checkTurn(turn, traceWithTranscript(traces, heard), heard, reply, speechBytes);
            }
        }
    }

    /**
     * The agent attached to the application while it is already calling the vendors: the JDK's
     * HTTP client class is loaded and in use, and is retransformed; later calls are traced.
     */
    @Test
    void attachingToAnApplicationAlreadyUsingTheHttpClients() throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dvoicetrace.deepgram.hosts=127.0.0.1", "-Dvoicetrace.elevenlabs.hosts=127.0.0.1",
                    "-Dvoicetrace.assemblyai.hosts=127.0.0.1",
                    "-jar", JvmRun.SPEECH_APP_JAR.toString(), "--rounds", "25", "--pause-ms", "20"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(k -> k.startsWith("LANGFUSE_") || k.startsWith("VOICETRACE_"));
            builder.environment().put("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY);
            builder.environment().put("LANGFUSE_SECRET_KEY", VoicePipelineIT.SECRET_KEY);
            builder.environment().put("LANGFUSE_HOST", langfuse.url());
            Process app = builder.start();
            java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
            Thread pump = new Thread(() -> {
                try {
                    app.getInputStream().transferTo(output);
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            pump.setDaemon(true);
            pump.start();
            try {
                // Wait until the application has made its first calls through both clients.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!output.toString(StandardCharsets.UTF_8).contains("turn 4 speech bytes")
                        && System.nanoTime() < deadline && app.isAlive()) {
                    Thread.sleep(50);
                }
                assertTrue(app.isAlive(), () -> "the application is still running: " + output);
                VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
                try {
                    vm.loadAgent(JvmRun.AGENT_JAR.toString());
                } finally {
                    vm.detach();
                }
                assertTrue(app.waitFor(3, TimeUnit.MINUTES), "the application finishes");
                pump.join();
            } finally {
                app.destroyForcibly();
            }
            String log = output.toString(StandardCharsets.UTF_8);
            assertEquals(0, app.exitValue(), log);
            assertTrue(log.contains("Voicetrace") && log.contains("started"), log);
            assertFalse(log.contains("\tat "), () -> "no stack trace: " + log);
            assertFalse(log.contains("could not"), log);

            List<ReceivedSpan> spans = langfuse.awaitSpans(4, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            Map<String, Long> byName = spans.stream().collect(Collectors.groupingBy(ReceivedSpan::name,
                    Collectors.counting()));
            for (String name : List.of("stt deepgram.listen", "tts elevenlabs.text_to_speech", "tts deepgram.speak",
                    "stt assemblyai.transcript")) {
                assertTrue(byName.getOrDefault(name, 0L) > 0, () -> name + " traced after the attach: " + byName);
            }
            assertTrue(byName.get("stt deepgram.listen") < 3 * 25, () -> "calls before the attach are not: " + byName);
            // OkHttp's call class was loaded and in use too: it is retransformed like the JDK's client
            for (String client : List.of("java.net.http", "okhttp")) {
                assertTrue(spans.stream().anyMatch(span -> span.name().equals("stt deepgram.listen")
                        && client.equals(span.attribute("langfuse.observation.metadata.http_client"))),
                        () -> client + " calls traced after the attach");
            }
        }
    }

    private static void checkTurn(int turn, List<ReceivedSpan> trace, String heard, String reply, long speechBytes)
            throws Exception {
        assertEquals(4, trace.size(), () -> "turn " + turn + ": " + names(trace));
        ReceivedSpan root = only(trace, ReceivedSpan::isRoot);
        assertEquals("voice-turn", root.name());
        assertEquals("call-speech-rest-1", root.attribute("langfuse.session.id"));
        assertEquals(reply, JSON.readValue((String) root.attribute("langfuse.trace.output"), String.class));
        assertNotNull(root.attribute("langfuse.trace.metadata.tts_time_to_first_byte_ms"), root::toString);

        ReceivedSpan stt = only(trace, s -> s.name().startsWith("stt "));
        ReceivedSpan llm = only(trace, s -> s.name().startsWith("llm "));
        ReceivedSpan tts = only(trace, s -> s.name().startsWith("tts "));
        for (ReceivedSpan span : trace) {
            if (!span.isRoot()) {
                assertEquals(root.spanId(), span.parentSpanId(), span::toString);
            }
        }
        // turn 3 calls Deepgram through OkHttp, everything else goes through java.net.http
        String client = turn == 3 ? "okhttp" : "java.net.http";
        assertEquals(client, stt.attribute("langfuse.observation.metadata.http_client"));
        assertEquals(client, tts.attribute("langfuse.observation.metadata.http_client"));
        if (turn < 4) {
            checkDeepgramListen(turn, stt, heard);
        } else {
            checkAssemblyAiTranscript(stt, heard);
        }

        assertEquals("llm openai.chat.completions", llm.name());
        JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
        assertTrue(hasUserMessage(messages, heard), () -> "the LLM input holds the transcript: " + messages);
        assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.from_stt"));
        assertEquals(reply, json(llm, "langfuse.observation.output").path("content").asText());

        JsonNode ttsInput = json(tts, "langfuse.observation.input");
        assertEquals(reply, ttsInput.path("text").asText(), "the TTS text is the LLM reply");
        assertEquals(llm.spanId(), tts.attribute("langfuse.observation.metadata.from_llm"));
        JsonNode ttsOutput = json(tts, "langfuse.observation.output");
        assertEquals(speechBytes, ttsOutput.path("audio_bytes").asLong(), "the audio bytes the application read");
        assertNull(tts.attribute("langfuse.observation.usage_details"), "characters are not tokens");
        assertEquals(Integer.toString(reply.length()), tts.attribute("langfuse.observation.metadata.tts_characters"));
        JsonNode cost = json(tts, "langfuse.observation.cost_details");
        VoicePipelineIT.checkCompletionStart(tts);
        assertTrue(tts.endTimeUnixNano() > tts.startTimeUnixNano());
        if (turn <= 2) {
            assertEquals("tts elevenlabs.text_to_speech", tts.name());
            assertEquals("eleven_flash_v2_5", tts.attribute("langfuse.observation.model.name"));
            assertEquals("21m00Tcm4TlvDq8ikWAM", ttsInput.path("voice_id").asText());
            assertEquals(0.5, ttsInput.path("voice_settings").path("stability").asDouble(), 1e-9);
            assertEquals(Boolean.toString(turn == 1), tts.attribute("langfuse.observation.metadata.streaming"),
                    "turn 1 uses the /stream endpoint");
            assertEquals("pcm_24000", json(tts, "langfuse.observation.model.parameters").path("output_format")
                    .asText());
            // raw 16-bit PCM at 24 kHz
            assertEquals(speechBytes / 48_000.0, ttsOutput.path("duration_seconds").asDouble(), 0.001);
            // Flash: $50 per million characters
            assertEquals(reply.length() * 50.0 / 1e6, cost.path("total").asDouble(), 1e-12, cost::toString);
        } else {
            assertEquals("tts deepgram.speak", tts.name());
            assertEquals("aura-2-thalia-en", tts.attribute("langfuse.observation.model.name"));
            assertEquals("thalia", ttsInput.path("voice").asText());
            assertEquals("audio/wav", ttsOutput.path("content_type").asText());
            // a WAV header, then 16-bit PCM at 24 kHz
            assertEquals((speechBytes - 44) / 48_000.0, ttsOutput.path("duration_seconds").asDouble(), 0.001);
            // Aura-2: $30 per million characters
            assertEquals(reply.length() * 30.0 / 1e6, cost.path("total").asDouble(), 1e-12, cost::toString);
        }
    }

    private static void checkDeepgramListen(int turn, ReceivedSpan stt, String heard) throws Exception {
        assertEquals("stt deepgram.listen", stt.name());
        assertEquals("nova-3", stt.attribute("langfuse.observation.model.name"));
        JsonNode output = json(stt, "langfuse.observation.output");
        assertEquals(heard, output.path("text").asText());
        assertTrue(output.path("confidence").asDouble() > 0.9, output::toString);
        assertEquals("en", output.path("language").asText());
        JsonNode audio = json(stt, "langfuse.observation.input").path("audio");
        // the app's caller audio: a WAV of 1.5, 2.0, 2.5 s at 16 kHz, 16-bit mono
        double seconds = 1.0 + 0.5 * turn;
        assertEquals("audio/wav", audio.path("content_type").asText());
        assertEquals(44 + (long) (seconds * 32_000), audio.path("bytes").asLong(), audio::toString);
        assertEquals(seconds, audio.path("duration_seconds").asDouble(), 1e-9);
        JsonNode parameters = json(stt, "langfuse.observation.model.parameters");
        assertTrue(parameters.path("smart_format").asBoolean(), parameters::toString);
        assertEquals("en", parameters.path("language").asText());
        assertNull(stt.attribute("langfuse.observation.usage_details"), "seconds are not tokens");
        assertEquals(Long.toString(Math.round(seconds * 1000)), stt.attribute("langfuse.observation.metadata.billed_audio_ms"));
        // Nova-3: $0.0043 per audio minute
        assertEquals(0.0043 * seconds / 60, json(stt, "langfuse.observation.cost_details").path("total").asDouble(),
                1e-12);
    }

    private static void checkAssemblyAiTranscript(ReceivedSpan stt, String heard) throws Exception {
        assertEquals("stt assemblyai.transcript", stt.name());
        assertEquals("universal", stt.attribute("langfuse.observation.model.name"));
        JsonNode output = json(stt, "langfuse.observation.output");
        assertEquals(heard, output.path("text").asText());
        assertEquals(5.3, output.path("duration").asDouble(), 1e-9);
        assertEquals(16, output.path("words").asInt());
        // the voicemail's audio was uploaded first: the transcript has the upload's URL and size
        JsonNode audio = json(stt, "langfuse.observation.input").path("audio");
        assertTrue(audio.path("url").asText().startsWith("https://cdn.assemblyai.com/upload/"), audio::toString);
        assertEquals(44 + 3 * 32_000, audio.path("bytes").asLong(), audio::toString);
        assertEquals("application/octet-stream", audio.path("content_type").asText());
        assertEquals(5.3, audio.path("duration_seconds").asDouble(), 1e-9);
        assertEquals("5551722-f677-48a4-a6a1-000000000001",
                stt.attribute("langfuse.observation.metadata.transcript_id"));
        // from the creating request to the poll that found it completed (two polls, 30 ms apart)
        assertTrue(stt.endTimeUnixNano() - stt.startTimeUnixNano() >= 60_000_000L,
                () -> "the observation spans creation and polling: " + stt);
        // $0.15 per audio hour
        assertEquals(0.15 * 5.3 / 3600, json(stt, "langfuse.observation.cost_details").path("total").asDouble(),
                1e-12);
    }
}
