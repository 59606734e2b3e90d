package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * google-genai in a separate JVM with the agent, against the app's loopback Gemini API: sync,
 * streamed (consumed to the end, and closed after one chunk), a function call round trip and an
 * async call, each one generation with its model, input, output, usage and cost.
 */
class GoogleGenAiIT {

    static final String API_KEY = "demo-gemini-key-6c1f0e9a";
    private static final double EPS = 1e-12;

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyGenerateContentCallIsOneGeneration(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CloudLlmRuns.Traced run = CloudLlmRuns.run(jdk, langfuse, "genai", API_KEY);
            List<ReceivedSpan> generations = run.generations();
            assertEquals(7, generations.size());
            for (ReceivedSpan generation : generations.subList(0, 6)) {
                assertEquals("llm google.models.generateContent", generation.name());
                assertEquals("google", generation.attribute("langfuse.observation.metadata.provider"));
                assertNull(generation.attribute("langfuse.observation.level"));
                JsonNode messages = json(generation, "langfuse.observation.input").path("messages");
                assertEquals("system", messages.path(0).path("role").asText());
                assertEquals("You are a friendly voice guide for Lisbon.",
                        messages.path(0).path("parts").path(0).path("text").asText());
            }

            ReceivedSpan sync = generations.get(0);
            assertEquals("gemini-2.5-flash", sync.attribute("langfuse.observation.model.name"));
            JsonNode parameters = json(sync, "langfuse.observation.model.parameters");
            assertEquals(0.7, parameters.path("temperature").asDouble(), 1e-6);
            assertEquals(256, parameters.path("maxOutputTokens").asInt());
            assertEquals("Hi! Is it a good afternoon for a walk?",
                    json(sync, "langfuse.observation.input").at("/messages/1/parts/0/text").asText());
            assertEquals(run.result().valueAfter("genai sync: "), outputText(sync));
            assertEquals("false", sync.attribute("langfuse.observation.metadata.streaming"));
            assertEquals("STOP", sync.attribute("langfuse.observation.metadata.finish_reason"));
            JsonNode usage = json(sync, "langfuse.observation.usage_details");
            assertEquals(31, usage.path("input").asLong());
            // 60 output tokens, candidates plus thoughts: Langfuse adds the buckets, so each is counted once
            assertEquals(18, usage.path("output").asLong(), "candidates");
            assertEquals(42, usage.path("output_reasoning_tokens").asLong(), "thoughts");
            assertEquals(91, usage.path("total").asLong());
            JsonNode cost = json(sync, "langfuse.observation.cost_details");
            assertEquals(31 * 0.30 / 1e6, cost.path("input").asDouble(), EPS);
            assertEquals(18 * 2.50 / 1e6, cost.path("output").asDouble(), EPS);
            assertEquals(42 * 2.50 / 1e6, cost.path("output_reasoning_tokens").asDouble(), EPS, "thinking is output");
            assertNull(sync.attribute("langfuse.observation.completion_start_time"));

            ReceivedSpan stream = generations.get(1);
            assertEquals("true", stream.attribute("langfuse.observation.metadata.streaming"));
            assertEquals(run.result().valueAfter("genai stream: "), outputText(stream));
            assertEquals(54, json(stream, "langfuse.observation.usage_details").path("total").asLong());
            assertEquals("STOP", stream.attribute("langfuse.observation.metadata.finish_reason"));
            assertNull(stream.attribute("langfuse.observation.metadata.interrupted"));
            CloudLlmRuns.completionStart(stream);

            ReceivedSpan closedEarly = generations.get(2);
            assertEquals("true", closedEarly.attribute("langfuse.observation.metadata.interrupted"),
                    "closed after its first chunk");
            assertEquals("Take the ", outputText(closedEarly));
            assertEquals(30, json(closedEarly, "langfuse.observation.usage_details").path("total").asLong());
            CloudLlmRuns.completionStart(closedEarly);

            ReceivedSpan asking = generations.get(3);
            JsonNode call = json(asking, "langfuse.observation.output").at("/parts/0/functionCall");
            assertEquals("get_weather", call.path("name").asText());
            assertEquals("Lisbon", call.path("args").path("city").asText());
            assertEquals("get_weather", json(asking, "langfuse.observation.input")
                    .at("/tools/0/functionDeclarations/0/name").asText());
            ReceivedSpan answering = generations.get(4);
            JsonNode history = json(answering, "langfuse.observation.input").path("messages");
            assertEquals("get_weather", history.at("/2/parts/0/functionCall/name").asText());
            assertEquals(19, history.at("/3/parts/0/functionResponse/response/temperature").asInt());
            assertEquals(run.result().valueAfter("genai tool answer: "), outputText(answering));

            ReceivedSpan async = generations.get(5);
            assertEquals("gemini-2.5-pro", async.attribute("langfuse.observation.model.name"));
            assertEquals(run.result().valueAfter("genai async: "), outputText(async));
            JsonNode asyncUsage = json(async, "langfuse.observation.usage_details");
            assertEquals(16, asyncUsage.path("input_cached_tokens").asLong());
            JsonNode asyncCost = json(async, "langfuse.observation.cost_details");
            assertEquals((64 - 16) * 1.25 / 1e6, asyncCost.path("input").asDouble(), EPS);
            assertEquals(16 * 0.125 / 1e6, asyncCost.path("input_cached_tokens").asDouble(), EPS);
            assertEquals(14 * 10.00 / 1e6, asyncCost.path("output").asDouble(), EPS);
            assertTrue(asyncCost.path("total").asDouble() > 0);

            assertEquals("404 NOT_FOUND", run.result().valueAfter("genai error: "));
            ReceivedSpan failed = generations.get(6);
            assertEquals("gemini-0-unknown", failed.attribute("langfuse.observation.model.name"));
            assertEquals("ERROR", failed.attribute("langfuse.observation.level"));
            String status = (String) failed.attribute("langfuse.observation.status_message");
            assertTrue(status.contains("ClientException") && status.contains("404"), status);
            assertEquals("Hello?", json(failed, "langfuse.observation.input").at("/messages/0/parts/0/text").asText());
            assertNull(failed.attribute("langfuse.observation.cost_details"), "no price for an unknown model");
        }
    }

    private static String outputText(ReceivedSpan generation) throws Exception {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : json(generation, "langfuse.observation.output").path("parts")) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }
}
