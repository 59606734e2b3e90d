package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.hasUserMessage;
import static dev.voicetrace.it.Spans.json;
import static dev.voicetrace.it.Spans.names;
import static dev.voicetrace.it.Spans.only;
import static dev.voicetrace.it.Spans.traceWithTranscript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo with its LLM stage on anthropic-java ({@code --llm-provider anthropic}) and speech on
 * openai-java, in a separate JVM with the agent: the two SDKs' calls are linked into one trace
 * per turn, with nothing provider-specific in capture, linking or export.
 */
class MixedProvidersIT {

    static final int TURNS = 3;
    static final String ANTHROPIC_MODEL_SNAPSHOT = "claude-haiku-4-5-20251001";
    /** The demo's Anthropic key: sent to the mock as a bearer token, never exported. */
    static final String DEMO_ANTHROPIC_KEY = "sk-ant-test-voicetrace-0000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ARGS = {"--llm-provider", "anthropic", "--turns", "" + TURNS};

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anthropicLlmBetweenOpenAiSpeechStagesIsOneTurn(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, ARGS).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "call-mixed-7")
                    .jar(JvmRun.VOICE_APP_JAR, ARGS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);

            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains("pipeline done: " + TURNS + " turns"), traced::toString);
            assertFalse(traced.stderr.contains("could not read the call"), traced::toString);
            // every member the readers require was found in these versions, at start and at every read
            assertFalse(traced.stderr.contains("SDK drift"), traced::toString);

            // turn 1: STT + 2 LLM calls and the tool between them + TTS; later turns: STT + LLM + TTS; plus roots.
            int expectedSpans = TURNS + 5 + 3 * (TURNS - 1);
            List<ReceivedSpan> spans = langfuse.awaitSpans(expectedSpans, Duration.ofSeconds(30));
            assertEquals(expectedSpans, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                String body = call.bodyUtf8();
                assertFalse(body.contains(DEMO_ANTHROPIC_KEY), "the Anthropic key is never exported");
                assertFalse(body.contains(VoicePipelineIT.DEMO_OPENAI_KEY), "the OpenAI key is never exported");
            }

            Map<String, List<ReceivedSpan>> traces = spans.stream()
                    .collect(Collectors.groupingBy(ReceivedSpan::traceId, TreeMap::new, Collectors.toList()));
            assertEquals(TURNS, traces.size(), () -> "one trace per turn: " + names(spans));
            for (int turn = 1; turn <= TURNS; turn++) {
                String heard = traced.valueAfter("turn " + turn + " heard: ");
                String reply = traced.valueAfter("turn " + turn + " reply: ");
                checkTurn(turn, traceWithTranscript(traces, heard), heard, reply);
            }
        }
    }

    private static void checkTurn(int turn, List<ReceivedSpan> trace, String heard, String reply) throws Exception {
        ReceivedSpan root = only(trace, ReceivedSpan::isRoot);
        assertEquals("voice-turn", root.name());
        assertEquals("call-mixed-7", root.attribute("langfuse.session.id"));
        assertEquals(reply, JSON.readValue((String) root.attribute("langfuse.trace.output"), String.class));
        assertEquals(turn == 1 ? 6 : 4, trace.size(), () -> "turn " + turn + ": " + names(trace));

        ReceivedSpan stt = only(trace, s -> s.name().equals("stt openai.audio.transcriptions"));
        ReceivedSpan tts = only(trace, s -> s.name().equals("tts openai.audio.speech"));
        List<ReceivedSpan> llms = trace.stream().filter(s -> s.name().startsWith("llm "))
                .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                .collect(Collectors.toList());
        assertEquals(turn == 1 ? 2 : 1, llms.size(), "LLM calls in turn " + turn);
        assertEquals(heard, json(stt, "langfuse.observation.output").path("text").asText());

        for (ReceivedSpan llm : llms) {
            assertEquals("llm anthropic.messages", llm.name());
            assertEquals(root.spanId(), llm.parentSpanId());
            assertEquals("anthropic", llm.attribute("langfuse.observation.metadata.provider"));
            assertEquals("messages.create", llm.attribute("langfuse.observation.metadata.operation"));
            assertEquals(ANTHROPIC_MODEL_SNAPSHOT, llm.attribute("langfuse.observation.model.name"));
            assertEquals(200, json(llm, "langfuse.observation.model.parameters").path("max_tokens").asInt());
            JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
            assertEquals("system", messages.path(0).path("role").asText(), "the system prompt comes first");
            assertTrue(messages.path(0).path("content").asText().startsWith("You are a friendly voice assistant"));
            assertTrue(hasUserMessage(messages, heard), () -> "the LLM input holds the transcript: " + messages);
            assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.from_stt"));
            assertEquals(stt.spanId(), llm.attribute("langfuse.observation.metadata.linked_from"));

            JsonNode usage = json(llm, "langfuse.observation.usage_details");
            long input = usage.path("input").asLong();
            long output = usage.path("output").asLong();
            assertTrue(input > 0 && output > 0, usage::toString);
            assertEquals(input + output + usage.path("input_cached_tokens").asLong()
                    + usage.path("input_cache_creation_tokens").asLong(), usage.path("total").asLong());
            JsonNode cost = json(llm, "langfuse.observation.cost_details");
            // claude-haiku-4-5: $1 per million input tokens, $5 per million output tokens
            assertEquals(input * 1.00 / 1e6, cost.path("input").asDouble(), 1e-12, cost::toString);
            assertEquals(output * 5.00 / 1e6, cost.path("output").asDouble(), 1e-12, cost::toString);
            assertEquals(cost.path("input").asDouble() + cost.path("output").asDouble(),
                    cost.path("total").asDouble(), 1e-12);
        }

        ReceivedSpan answering = llms.get(llms.size() - 1);
        JsonNode answer = json(answering, "langfuse.observation.output");
        assertEquals("assistant", answer.path("role").asText());
        assertEquals(reply, answer.path("content").path(0).path("text").asText());
        assertEquals("end_turn", answering.attribute("langfuse.observation.metadata.finish_reason"));
        if (turn == 1) {
            ReceivedSpan asking = llms.get(0);
            JsonNode toolUse = json(asking, "langfuse.observation.output").path("content").path(1);
            assertEquals("tool_use", toolUse.path("type").asText());
            assertEquals("get_weather", toolUse.path("name").asText());
            assertEquals("Lisbon", toolUse.path("input").path("city").asText());
            assertEquals("tool_use", asking.attribute("langfuse.observation.metadata.finish_reason"));
            assertEquals("get_weather", json(asking, "langfuse.observation.input").path("tools").path(0)
                    .path("name").asText());
            JsonNode followUp = json(answering, "langfuse.observation.input").path("messages");
            JsonNode toolResult = followUp.path(followUp.size() - 1).path("content").path(0);
            assertEquals("tool_result", toolResult.path("type").asText());
            assertEquals(toolUse.path("id").asText(), toolResult.path("tool_use_id").asText());
        }
        boolean streamed = turn % 2 == 0;
        assertEquals(Boolean.toString(streamed), answering.attribute("langfuse.observation.metadata.streaming"));
        if (streamed) {
            Object completionStart = answering.attribute("langfuse.observation.completion_start_time");
            assertNotNull(completionStart, "a streamed turn has its first token's time");
            Instant first = Instant.parse(JSON.readValue((String) completionStart, String.class));
            long firstNanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
            assertTrue(firstNanos > answering.startTimeUnixNano() && firstNanos < answering.endTimeUnixNano(),
                    "the first token arrives after the start and before the end of the stream");
            assertNotNull(root.attribute("langfuse.trace.metadata.llm_time_to_first_token_ms"));
        }

        assertEquals(reply, json(tts, "langfuse.observation.input").path("text").asText(),
                "the TTS input is the Anthropic reply");
        assertEquals(answering.spanId(), tts.attribute("langfuse.observation.metadata.from_llm"));
        assertTrue(json(tts, "langfuse.observation.cost_details").path("total").asDouble() > 0);
    }

}
