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
 * The Spring AI test app, a Spring Boot fat jar started with {@code java -javaagent:... -jar}
 * (Spring AI and openai-java load from nested jars through Spring Boot's class loader): its
 * {@code ChatModel.call} and {@code stream} are one generation each, and the openai-java request
 * Spring AI's OpenAI model makes inside is not recorded again, unless
 * {@code voicetrace.nested.calls=all}, which records it marked {@code nested_in} and unpriced.
 */
class SpringAiIT {

    static final Path APP_JAR = Paths.get(System.getProperty("voicetrace.spring.ai.app.jar"));
    static final String DEMO_KEY = "sk-test-voicetrace-springai-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void callAndStreamAreOneGenerationEachAndTheNestedSdkCallIsNotRecordedAgain(Path jdk) throws Exception {
        JvmRun.Result plain = JvmRun.on(jdk).jar(APP_JAR).run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, plain.exitCode, plain::toString);
        assertTrue(plain.stdout.contains("stream reply: "), plain::toString);

        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse).jar(APP_JAR)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            assertFalse(traced.stderr.contains("could not read the call"), traced::toString);
            // every member the readers require was found in these versions, at start and at every read
            assertFalse(traced.stderr.contains("SDK drift"), traced::toString);

            // call, stream, and a tool call with its follow-up: four generations in three turns, and
            // the tool between them (ToolObservationsIT checks it)
            List<ReceivedSpan> spans = langfuse.awaitSpans(8, Duration.ofSeconds(30));
            assertEquals(8, spans.size(), () -> "four generations, a tool and three turns, nothing twice: " + names(spans));
            checkExported(langfuse);
            List<ReceivedSpan> llms = llms(spans);
            assertEquals(List.of("llm spring-ai.chat.call", "llm spring-ai.chat.stream", "llm spring-ai.chat.call",
                    "llm spring-ai.chat.call"), llms.stream().map(ReceivedSpan::name).collect(Collectors.toList()));

            ReceivedSpan call = llms.get(0);
            checkGeneration(call, "What can I see in Lisbon in one afternoon?", traced.valueAfter("call reply: "));
            assertEquals("false", call.attribute("langfuse.observation.metadata.streaming"));
            assertNull(call.attribute("langfuse.observation.completion_start_time"));

            ReceivedSpan stream = llms.get(1);
            String line = traced.valueAfter("stream reply: ");
            String reply = json(stream, "langfuse.observation.output").path("content").asText();
            assertTrue(line.startsWith(reply + " ("), () -> line + " vs " + reply);
            checkGeneration(stream, "Suggest a dessert to try in Lisbon.", reply);
            assertEquals("true", stream.attribute("langfuse.observation.metadata.streaming"));
            Object completionStart = stream.attribute("langfuse.observation.completion_start_time");
            assertNotNull(completionStart, "a stream has its first token's time");
            Instant first = Instant.parse(JSON.readValue((String) completionStart, String.class));
            long firstNanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
            assertTrue(firstNanos > stream.startTimeUnixNano() && firstNanos < stream.endTimeUnixNano(),
                    "the first token arrives after the start and before the end of the stream");
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
            JvmRun.Result all = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.nested.calls", "all").jar(APP_JAR)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, all.exitCode, all::toString);
            assertTrue(all.stdout.contains("stream reply: "), all::toString);

            // four framework calls in three turns, the tool, and four nested calls in turns of their own
            List<ReceivedSpan> spans = langfuse.awaitSpans(16, Duration.ofSeconds(30));
            assertEquals(16, spans.size(), () -> "the nested openai-java calls are recorded too: " + names(spans));
            checkExported(langfuse);
            List<ReceivedSpan> llms = llms(spans);
            List<ReceivedSpan> framework = llms.stream().filter(s -> s.name().startsWith("llm spring-ai."))
                    .collect(Collectors.toList());
            List<ReceivedSpan> nested = llms.stream().filter(s -> s.name().equals("llm openai.chat.completions"))
                    .collect(Collectors.toList());
            assertEquals(4, framework.size(), () -> names(spans).toString());
            assertEquals(4, nested.size(), () -> names(spans).toString());
            assertEquals("spring-ai/chat.call", nested.get(0).attribute("langfuse.observation.metadata.nested_in"));
            assertEquals("spring-ai/chat.stream", nested.get(1).attribute("langfuse.observation.metadata.nested_in"));
            for (int i = 0; i < 2; i++) {
                ReceivedSpan sdk = nested.get(i);
                ReceivedSpan outer = framework.get(i);
                assertNull(sdk.attribute("langfuse.observation.cost_details"), "a nested call is not priced again");
                assertNull(outer.attribute("langfuse.observation.metadata.nested_in"));
                assertTrue(json(outer, "langfuse.observation.cost_details").path("total").asDouble() > 0);
                assertEquals(outer.attribute("langfuse.observation.metadata.response_id"),
                        sdk.attribute("langfuse.observation.metadata.response_id"), "the same model call");
                assertNull(sdk.attribute("langfuse.observation.usage_details"), "its tokens are the framework call's");
                assertEquals(Long.toString(json(outer, "langfuse.observation.usage_details").path("total").asLong()),
                        sdk.attribute("langfuse.observation.metadata.provider_total_tokens"));
                assertTrue(sdk.startTimeUnixNano() >= outer.startTimeUnixNano()
                        && sdk.endTimeUnixNano() <= outer.endTimeUnixNano() + 1_000_000,
                        "the SDK call happens inside the framework call");
            }
            // A turn's token total counts each model call once.
            for (ReceivedSpan sdk : nested) {
                ReceivedSpan root = only(spans, s -> s.isRoot() && s.traceId().equals(sdk.traceId()));
                Object tokens = root.attribute("langfuse.trace.metadata.total_tokens");
                assertEquals("0", String.valueOf(tokens), () -> root.attributes().toString());
            }
        }
    }

    private static List<ReceivedSpan> llms(List<ReceivedSpan> spans) {
        return spans.stream().filter(s -> s.name().startsWith("llm "))
                .sorted((a, b) -> Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano()))
                .collect(Collectors.toList());
    }

    private static void checkExported(LangfuseStandIn langfuse) {
        langfuse.assertAllValid();
        for (RecordedCall recorded : langfuse.requests()) {
            assertFalse(recorded.bodyUtf8().contains(DEMO_KEY), "the OpenAI key is never exported");
        }
    }

    private static void checkGeneration(ReceivedSpan llm, String question, String reply) throws Exception {
        assertEquals("generation", llm.attribute("langfuse.observation.type"));
        assertEquals("spring-ai", llm.attribute("langfuse.observation.metadata.provider"));
        assertEquals("openai", llm.attribute("langfuse.observation.metadata.model_provider"));
        assertEquals("gpt-4o-mini-2024-07-18", llm.attribute("langfuse.observation.model.name"));
        assertEquals("stop", llm.attribute("langfuse.observation.metadata.finish_reason"));
        // set on the model's default options, not in the prompt
        JsonNode parameters = json(llm, "langfuse.observation.model.parameters");
        assertEquals(0.3, parameters.path("temperature").asDouble());
        assertEquals(200, parameters.path("max_tokens").asInt());
        JsonNode messages = json(llm, "langfuse.observation.input").path("messages");
        assertEquals("system", messages.path(0).path("role").asText());
        assertEquals("user", messages.path(1).path("role").asText());
        assertEquals(question, messages.path(1).path("content").asText());
        JsonNode output = json(llm, "langfuse.observation.output");
        assertEquals("assistant", output.path("role").asText());
        assertEquals(reply, output.path("content").asText());
        JsonNode usage = json(llm, "langfuse.observation.usage_details");
        long input = usage.path("input").asLong();
        long output2 = usage.path("output").asLong();
        assertTrue(input > 0 && output2 > 0, usage::toString);
        assertEquals(input + output2, usage.path("total").asLong());
        JsonNode cost = json(llm, "langfuse.observation.cost_details");
        // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens
        assertEquals(input * 0.15 / 1e6, cost.path("input").asDouble(), 1e-12, cost::toString);
        assertEquals(output2 * 0.60 / 1e6, cost.path("output").asDouble(), 1e-12, cost::toString);
    }
}
