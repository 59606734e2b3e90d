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
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LangChain4j test app (langchain4j-open-ai against a loopback chat completions stand-in) in a
 * separate JVM with the agent: every chat call, blocking, streaming and both halves of a tool call
 * round trip, is one generation with its model, messages, reply, usage and cost.
 */
class LangChain4jIT {

    static final Path APP_JAR = Paths.get(System.getProperty("voicetrace.langchain4j.app.jar"));
    static final String DEMO_KEY = "sk-test-voicetrace-lc4j-0000000000000000";
    static final String SYSTEM = "You are a concise travel assistant for Lisbon.";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyChatCallIsOneGeneration(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(APP_JAR).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "lc4j-session-1")
                    .property("voicetrace.log.level", "debug")
                    .jar(APP_JAR)
                    .run(VoicePipelineIT.RUN_TIMEOUT);

            traced.assertUnchangedFrom(plain);
            assertFalse(traced.stderr.contains("could not read the call"), traced::toString);
            ClassGateIT.assertGateClosedAfterEarlyLibrary(traced);

            // eight chat calls (blocking, streaming, tool call and follow-up, the AI Service's tool call and
            // follow-up through langchain4j-open-ai; blocking and streaming through
            // langchain4j-open-ai-official, whose openai-java calls are not recorded again) in six turns
            // (a follow-up joins its tool call's turn), and the two tools (ToolObservationsIT checks them)
            List<ReceivedSpan> spans = langfuse.awaitSpans(16, Duration.ofSeconds(30));
            assertEquals(16, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                assertFalse(call.bodyUtf8().contains(DEMO_KEY), "the OpenAI key is never exported");
            }
            List<ReceivedSpan> llms = spans.stream().filter(s -> s.name().startsWith("llm "))
                    .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                    .collect(Collectors.toList());
            assertEquals(8, llms.size(), () -> "one generation per chat call, none twice: " + names(spans));
            assertEquals(2, spans.stream().filter(s -> s.name().equals("tool get_weather")).count());
            for (int i = 0; i < llms.size(); i++) {
                ReceivedSpan llm = llms.get(i);
                assertEquals("llm langchain4j.chat", llm.name());
                assertEquals("generation", llm.attribute("langfuse.observation.type"));
                assertEquals("langchain4j", llm.attribute("langfuse.observation.metadata.provider"));
                assertEquals(i < 6 ? "openai" : "openaiofficial",
                        llm.attribute("langfuse.observation.metadata.model_provider"));
                assertEquals("gpt-4o-mini-2024-07-18", llm.attribute("langfuse.observation.model.name"));
                assertEquals("lc4j-session-1", only(spans, s -> s.isRoot() && s.traceId().equals(llm.traceId()))
                        .attribute("langfuse.session.id"));
                JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
                assertEquals("system", messages.path(0).path("role").asText());
                assertEquals(SYSTEM, messages.path(0).path("content").asText());
                JsonNode usage = json(llm, "langfuse.observation.usage_details");
                long input = usage.path("input").asLong();
                long output = usage.path("output").asLong();
                assertTrue(input > 0 && output > 0, usage::toString);
                assertEquals(input + output, usage.path("total").asLong());
                JsonNode cost = json(llm, "langfuse.observation.cost_details");
                // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens
                assertEquals(input * 0.15 / 1e6, cost.path("input").asDouble(), 1e-12, cost::toString);
                assertEquals(output * 0.60 / 1e6, cost.path("output").asDouble(), 1e-12, cost::toString);
            }

            ReceivedSpan blocking = llms.get(0);
            assertEquals("What can I see in Lisbon in one afternoon?",
                    json(blocking, "langfuse.observation.input").path("messages").path(1).path("content").asText());
            assertEquals(traced.valueAfter("blocking reply: "),
                    json(blocking, "langfuse.observation.output").path("content").asText());
            JsonNode parameters = json(blocking, "langfuse.observation.model.parameters");
            assertEquals(0.3, parameters.path("temperature").asDouble());
            assertEquals(200, parameters.path("max_output_tokens").asInt());
            assertEquals("false", blocking.attribute("langfuse.observation.metadata.streaming"));
            assertEquals("stop", blocking.attribute("langfuse.observation.metadata.finish_reason"));
            assertNull(blocking.attribute("langfuse.observation.completion_start_time"));

            ReceivedSpan streamed = llms.get(1);
            assertEquals("true", streamed.attribute("langfuse.observation.metadata.streaming"));
            assertEquals(0.3, json(streamed, "langfuse.observation.model.parameters").path("temperature").asDouble(),
                    "the temperature set on the model's builder is seen");
            String streamedLine = traced.valueAfter("streamed reply: ");
            String reply = json(streamed, "langfuse.observation.output").path("content").asText();
            assertTrue(streamedLine.startsWith(reply + " ("), () -> streamedLine + " vs " + reply);
            Object completionStart = streamed.attribute("langfuse.observation.completion_start_time");
            assertNotNull(completionStart, "a stream has its first token's time");
            Instant first = Instant.parse(JSON.readValue((String) completionStart, String.class));
            long firstNanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
            assertTrue(firstNanos > streamed.startTimeUnixNano() && firstNanos < streamed.endTimeUnixNano(),
                    "the first token arrives after the start and before the end of the stream");

            ReceivedSpan asking = llms.get(2);
            JsonNode toolCall = json(asking, "langfuse.observation.output").path("tool_calls").path(0);
            assertEquals("get_weather", toolCall.path("function").path("name").asText());
            assertEquals("{\"city\":\"Lisbon\"}", toolCall.path("function").path("arguments").asText());
            assertEquals("tool_execution", asking.attribute("langfuse.observation.metadata.finish_reason"));
            assertEquals("get_weather", json(asking, "langfuse.observation.input").path("tools").path(0)
                    .path("function").path("name").asText());
            ReceivedSpan answering = llms.get(3);
            JsonNode followUp = json(answering, "langfuse.observation.input").path("messages");
            JsonNode toolResult = followUp.path(followUp.size() - 1);
            assertEquals("tool", toolResult.path("role").asText());
            assertEquals(toolCall.path("id").asText(), toolResult.path("tool_call_id").asText());
            assertEquals(traced.valueAfter("tool reply: "),
                    json(answering, "langfuse.observation.output").path("content").asText());

            assertEquals(traced.valueAfter("official blocking reply: "),
                    json(llms.get(6), "langfuse.observation.output").path("content").asText());
            assertEquals(traced.valueAfter("official streamed reply: "),
                    json(llms.get(7), "langfuse.observation.output").path("content").asText());
            assertNotNull(llms.get(7).attribute("langfuse.observation.completion_start_time"));
        }
    }

    /** The nested-call option is the agent's own logic: the JDK running the tests is enough. */
    static Stream<Path> defaultJdk() {
        return Jdks.all().stream().limit(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultJdk")
    void withAllNestedCallsTheOpenAiJavaCallsInsideAreRecordedMarkedAndUnpriced(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.nested.calls", "all")
                    .jar(APP_JAR)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);

            List<ReceivedSpan> spans = langfuse.awaitSpans(20, Duration.ofSeconds(30));
            assertEquals(20, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                assertFalse(call.bodyUtf8().contains(DEMO_KEY), "the OpenAI key is never exported");
            }
            List<ReceivedSpan> framework = spans.stream().filter(s -> s.name().equals("llm langchain4j.chat"))
                    .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                    .collect(Collectors.toList());
            List<ReceivedSpan> nested = spans.stream().filter(s -> s.name().equals("llm openai.chat.completions"))
                    .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                    .collect(Collectors.toList());
            assertEquals(8, framework.size(), () -> names(spans).toString());
            assertEquals(2, nested.size(), "only langchain4j-open-ai-official goes through openai-java");
            for (int i = 0; i < 2; i++) {
                ReceivedSpan sdk = nested.get(i);
                ReceivedSpan outer = framework.get(6 + i);
                assertEquals("langchain4j/chat", sdk.attribute("langfuse.observation.metadata.nested_in"));
                assertNull(sdk.attribute("langfuse.observation.cost_details"), "priced once, on the framework call");
                assertTrue(json(outer, "langfuse.observation.cost_details").path("total").asDouble() > 0);
                assertNull(outer.attribute("langfuse.observation.metadata.nested_in"));
                assertEquals(outer.attribute("langfuse.observation.metadata.response_id"),
                        sdk.attribute("langfuse.observation.metadata.response_id"), "the same model call");
                assertTrue(sdk.startTimeUnixNano() >= outer.startTimeUnixNano(), "the SDK call starts inside");
            }
            assertEquals("true", nested.get(1).attribute("langfuse.observation.metadata.streaming"));
        }
    }
}
