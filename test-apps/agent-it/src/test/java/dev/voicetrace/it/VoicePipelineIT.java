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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo voice pipeline (real openai-java against a loopback OpenAI stand-in) in a separate JVM
 * with the agent attached, exporting to a Langfuse stand-in over the OpenTelemetry endpoint.
 */
class VoicePipelineIT {

    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    static final int TURNS = 4;
    static final String PUBLIC_KEY = "pk-lf-it-public-0001";
    static final String SECRET_KEY = "sk-lf-it-secret-9f8e7d6c5b4a";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void turnsArriveLinkedMeasuredAndValid(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS).run(RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "call-it-42")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(RUN_TIMEOUT);

            assertEquals(0, plain.exitCode, plain::toString);
            assertEquals(0, traced.exitCode, traced::toString);
            assertEquals(plain.stdout, traced.stdout, "the agent must not change the application's output");
            assertTrue(traced.stdout.contains("pipeline done: " + TURNS + " turns"), traced::toString);

            // turn 1: STT + 2 LLM calls (tool call round trip) + TTS; later turns: STT + LLM + TTS.
            int expectedSpans = TURNS /* roots */ + 4 + 3 * (TURNS - 1);
            List<ReceivedSpan> spans = langfuse.awaitSpans(expectedSpans, Duration.ofSeconds(30));
            assertEquals(expectedSpans, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();

            for (RecordedCall call : langfuse.requests()) {
                assertEquals(LangfuseStandIn.OTLP_PATH, call.path());
                assertEquals("Basic " + Base64.getEncoder().encodeToString(
                        (PUBLIC_KEY + ":" + SECRET_KEY).getBytes(StandardCharsets.UTF_8)), call.header("Authorization"));
                assertEquals("4", call.header("x-langfuse-ingestion-version"));
                assertTrue(call.gzipped(), "OTLP requests are gzipped");
                assertFalse(call.bodyUtf8().contains(SECRET_KEY), "the secret key is never in a payload");
            }
            assertFalse(traced.stderr.contains(SECRET_KEY), "the secret key is never logged");

            Map<String, List<ReceivedSpan>> traces = spans.stream()
                    .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
            assertEquals(TURNS, traces.size(), "one trace per turn");

            for (int turn = 1; turn <= TURNS; turn++) {
                String heard = traced.valueAfter("turn " + turn + " heard: ");
                String reply = traced.valueAfter("turn " + turn + " reply: ");
                List<ReceivedSpan> trace = traceWithTranscript(traces, heard);
                checkTurn(turn, trace, heard, reply);
                checkModelUsageIsTheProviders(turn, trace, traced.stdout);
            }
        }
    }

    private static final Pattern MODEL_USAGE = Pattern.compile(
            "prompt_tokens=(\\d+) cached_tokens=(\\d+) completion_tokens=(\\d+)");

    /**
     * What Langfuse will show for each model call equals what the provider reported to the
     * application: Langfuse sums every usage key containing {@code input} as input tokens, so that
     * sum must be the prompt tokens, the cached ones among them counted once; and the cost is the
     * price table's for those tokens (gpt-4o-mini: $0.15 input, $0.075 cached, $0.60 output per million).
     */
    private static void checkModelUsageIsTheProviders(int turn, List<ReceivedSpan> trace, String stdout)
            throws Exception {
        List<long[]> reported = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            Matcher m = MODEL_USAGE.matcher(line);
            if (line.startsWith("turn " + turn + " model usage: ") && m.find()) {
                reported.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3))});
            }
        }
        List<ReceivedSpan> llms = trace.stream().filter(s -> s.name().startsWith("llm "))
                .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                .collect(Collectors.toList());
        assertEquals(reported.size(), llms.size(), "one usage line per model call in turn " + turn);
        boolean anyCached = false;
        for (int i = 0; i < llms.size(); i++) {
            JsonNode usage = json(llms.get(i), "langfuse.observation.usage_details");
            long input = 0;
            long output = 0;
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = usage.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> bucket = it.next();
                if (bucket.getKey().contains("input")) {
                    input += bucket.getValue().asLong();
                } else if (bucket.getKey().contains("output")) {
                    output += bucket.getValue().asLong();
                }
            }
            long[] provider = reported.get(i);
            assertEquals(provider[0], input, () -> "Langfuse's input tokens are the provider's: " + usage);
            assertEquals(provider[2], output, () -> "Langfuse's output tokens are the provider's: " + usage);
            assertEquals(provider[1], usage.path("input_cached_tokens").asLong(0));
            assertEquals(provider[0] + provider[2], usage.path("total").asLong());
            anyCached |= provider[1] > 0;
            double expectedCost = ((provider[0] - provider[1]) * 0.15 + provider[1] * 0.075 + provider[2] * 0.60) / 1e6;
            assertEquals(expectedCost, json(llms.get(i), "langfuse.observation.cost_details").path("total").asDouble(),
                    1e-12, "the price table's cost");
        }
        if (turn > 1) {
            assertTrue(anyCached, "turn " + turn + " reuses a cached prefix, so the split is exercised");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void responsesApiAndStreamingTranscriptionLinkTheSameWay(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            String[] args = {"--turns", "2", "--llm-api", "responses", "--stt-streaming"};
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, args).run(RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .jar(JvmRun.VOICE_APP_JAR, args)
                    .run(RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            assertEquals(plain.stdout, traced.stdout);

            List<ReceivedSpan> spans = langfuse.awaitSpans(2 * 4, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            Map<String, List<ReceivedSpan>> traces = spans.stream()
                    .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
            assertEquals(2, traces.size());
            for (int turn = 1; turn <= 2; turn++) {
                String heard = traced.valueAfter("turn " + turn + " heard: ");
                String reply = traced.valueAfter("turn " + turn + " reply: ");
                List<ReceivedSpan> trace = traceWithTranscript(traces, heard);
                ReceivedSpan stt = only(trace, s -> s.name().equals("stt openai.audio.transcriptions"));
                ReceivedSpan llm = only(trace, s -> s.name().equals("llm openai.responses"));
                ReceivedSpan tts = only(trace, s -> s.name().startsWith("tts "));
                assertEquals("true", stt.attribute("langfuse.observation.metadata.streaming"));
                assertEquals(heard, json(stt, "langfuse.observation.output").path("text").asText());
                checkCompletionStart(stt);
                assertEquals(turn % 2 == 0 ? "true" : "false", llm.attribute("langfuse.observation.metadata.streaming"));
                assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.from_stt"));
                assertTrue(json(llm, "langfuse.observation.input").path("instructions").isTextual());
                assertTrue(json(llm, "langfuse.observation.usage_details").path("total").asLong() > 0);
                assertEquals(llm.spanId(), tts.attribute("langfuse.observation.metadata.from_llm"));
                assertEquals(reply, json(tts, "langfuse.observation.input").path("text").asText());
                if (turn == 2) {
                    checkCompletionStart(llm);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aFailingLlmCallIsAnErrorObservationAndTheAppSeesTheSameException(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            String[] args = {"--turns", "2", "--fail-llm"};
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, args).run(RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .jar(JvmRun.VOICE_APP_JAR, args)
                    .run(RUN_TIMEOUT);
            assertEquals(plain.stdout, traced.stdout);
            assertTrue(traced.stdout.contains("turn 1 failed: BadRequestException"), traced::toString);

            List<ReceivedSpan> spans = langfuse.awaitSpans(2 * 3, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            List<ReceivedSpan> llm = spans.stream().filter(s -> s.name().startsWith("llm "))
                    .collect(Collectors.toList());
            assertEquals(2, llm.size(), () -> names(spans).toString());
            for (ReceivedSpan span : llm) {
                assertEquals("ERROR", span.attribute("langfuse.observation.level"));
                assertEquals(2, span.statusCode());
                String message = (String) span.attribute("langfuse.observation.status_message");
                assertTrue(message.contains("BadRequestException") && message.contains("context"), message);
                assertFalse(message.contains(DEMO_OPENAI_KEY), "the provider key is not exported");
            }
        }
    }

    /** The demo's OpenAI key: never exported, even inside error messages. */
    static final String DEMO_OPENAI_KEY = "sk-test-voicetrace-0000000000000000";

    private static void checkTurn(int turn, List<ReceivedSpan> trace, String heard, String reply) throws Exception {
        ReceivedSpan root = only(trace, s -> s.isRoot());
        assertEquals("voice-turn", root.name());
        assertEquals("voice-turn", root.attribute("langfuse.trace.name"));
        assertEquals("call-it-42", root.attribute("langfuse.session.id"));
        assertEquals(heard, JSON.readValue((String) root.attribute("langfuse.trace.input"), String.class));
        assertEquals(reply, JSON.readValue((String) root.attribute("langfuse.trace.output"), String.class));
        assertEquals((long) turn, root.attribute("langfuse.trace.metadata.turn_index"));
        for (String figure : List.of("stt_latency_ms", "llm_latency_ms", "tts_time_to_first_byte_ms",
                "voice_to_voice_ms")) {
            double value = ((Number) root.attribute("langfuse.trace.metadata." + figure)).doubleValue();
            assertTrue(value > 0 && value < 60_000, figure + " is plausible: " + value);
        }
        assertTrue(((Number) root.attribute("langfuse.trace.metadata.total_tokens")).longValue() > 0);
        assertTrue(((Number) root.attribute("langfuse.trace.metadata.total_cost_usd")).doubleValue() > 0);

        ReceivedSpan stt = only(trace, s -> s.name().startsWith("stt "));
        List<ReceivedSpan> llms = trace.stream().filter(s -> s.name().startsWith("llm ")).collect(Collectors.toList());
        ReceivedSpan tts = only(trace, s -> s.name().startsWith("tts "));
        assertEquals(turn == 1 ? 2 : 1, llms.size(), "LLM calls in turn " + turn);

        for (ReceivedSpan child : trace) {
            if (child != root) {
                assertEquals(root.spanId(), child.parentSpanId(), "every stage hangs under its turn");
                assertEquals("call-it-42", child.attribute("langfuse.session.id"));
                assertEquals("generation", child.attribute("langfuse.observation.type"));
                assertTrue(child.startTimeUnixNano() >= root.startTimeUnixNano()
                        && child.endTimeUnixNano() <= root.endTimeUnixNano(), "stage lies within its turn");
                checkUsageAndCost(child);
            }
        }

        JsonNode sttOutput = json(stt, "langfuse.observation.output");
        assertEquals(heard, sttOutput.path("text").asText());
        assertTrue(json(stt, "langfuse.observation.input").path("audio").path("bytes").asLong() > 1000,
                "audio size is recorded");

        ReceivedSpan answering = llms.get(llms.size() - 1);
        for (ReceivedSpan llm : llms) {
            JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
            assertEquals("system", messages.path(0).path("role").asText(), "system prompt first");
            assertTrue(hasUserMessage(messages, heard), "the LLM input holds the transcript");
            assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.linked_from"));
            assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.from_stt"));
            assertEquals("gpt-4o-mini-2024-07-18", llm.attribute("langfuse.observation.model.name"));
            assertNotNull(llm.attribute("langfuse.observation.model.parameters"));
        }
        assertEquals(reply, json(answering, "langfuse.observation.output").path("content").asText());
        if (turn == 1) {
            JsonNode toolCall = json(llms.get(0), "langfuse.observation.output").path("tool_calls").path(0);
            assertEquals("get_weather", toolCall.path("function").path("name").asText());
            assertEquals("tool_calls", llms.get(0).attribute("langfuse.observation.metadata.finish_reason"));
        }
        if (turn == 2 || turn == 4) {
            assertEquals("true", answering.attribute("langfuse.observation.metadata.streaming"));
            checkCompletionStart(answering);
        }

        assertEquals(reply, json(tts, "langfuse.observation.input").path("text").asText(),
                "the TTS input is the LLM output");
        assertEquals(answering.spanId(), tts.attribute("langfuse.observation.metadata.linked_from"));
        assertTrue(json(tts, "langfuse.observation.output").path("audio_bytes").asLong() > 0);
        checkCompletionStart(tts);
    }

    private static void checkUsageAndCost(ReceivedSpan span) throws Exception {
        JsonNode cost = json(span, "langfuse.observation.cost_details");
        double total = cost.path("total").asDouble(-1);
        assertTrue(total > 0 && total < 1, () -> span.name() + " cost is plausible: " + cost);
        if (span.name().startsWith("tts ")) {
            // speech is billed by characters: not tokens, so no usage, and the cost says what it prices
            assertNull(span.attribute("langfuse.observation.usage_details"), span::toString);
            assertTrue(Long.parseLong((String) span.attribute("langfuse.observation.metadata.tts_characters")) > 0);
            assertTrue(cost.path("characters").asDouble() > 0, cost::toString);
            return;
        }
        JsonNode usage = json(span, "langfuse.observation.usage_details");
        assertTrue(usage.size() > 0, () -> span.name() + " has usage");
        long sum = 0;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = usage.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTrue(e.getValue().isIntegralNumber() && e.getValue().asLong() >= 0, span.name() + " usage " + e);
            sum += e.getKey().equals("total") ? 0 : e.getValue().asLong();
        }
        assertEquals(sum, usage.path("total").asLong(), "disjoint buckets add up to the total");
    }

    static void checkCompletionStart(ReceivedSpan span) throws Exception {
        String iso = JSON.readValue((String) span.attribute("langfuse.observation.completion_start_time"), String.class);
        Instant first = Instant.parse(iso);
        long firstNanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
        assertTrue(firstNanos >= span.startTimeUnixNano() && firstNanos <= span.endTimeUnixNano(),
                span.name() + ": first output lies between start and end");
    }

}
