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
 * AWS SDK v2 Bedrock Runtime in a separate JVM with the agent, against the app's loopback
 * Bedrock Runtime: converse (sync, a tool round trip, async through the builder overload),
 * converseStream over AWS event stream framing, and invokeModel with Anthropic and Nova bodies.
 */
class BedrockIT {

    static final String ACCESS_KEY_ID = "AKIAVOICETRACEDEMO01";
    static final String SECRET_KEY = "demo-aws-secret-9f3b27c4d1e8";
    private static final double EPS = 1e-12;

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyBedrockCallIsOneGeneration(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            CloudLlmRuns.Traced run = CloudLlmRuns.run(jdk, langfuse, "bedrock", ACCESS_KEY_ID, SECRET_KEY);
            List<ReceivedSpan> generations = run.generations();
            assertEquals(8, generations.size());
            for (ReceivedSpan generation : generations) {
                assertEquals("bedrock", generation.attribute("langfuse.observation.metadata.provider"));
            }

            ReceivedSpan converse = generations.get(0);
            assertEquals("llm bedrock.converse", converse.name());
            assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", converse.attribute("langfuse.observation.model.name"));
            assertEquals("us.anthropic.claude-haiku-4-5-20251001-v1:0",
                    converse.attribute("langfuse.observation.metadata.model_id"));
            JsonNode parameters = json(converse, "langfuse.observation.model.parameters");
            assertEquals(300, parameters.path("maxTokens").asInt());
            assertEquals(0.5, parameters.path("temperature").asDouble(), EPS);
            assertEquals(0.9, parameters.path("topP").asDouble(), EPS);
            assertEquals(3, parameters.size(), () -> "unset parameters are not reported: " + parameters);
            JsonNode input = json(converse, "langfuse.observation.input").path("messages");
            assertEquals("system", input.at("/0/role").asText());
            assertEquals("You are a concise airport voice assistant.", input.at("/0/content/0/text").asText());
            assertEquals("Hi, where does my flight to Seattle board?", input.at("/1/content/0/text").asText());
            assertEquals(run.result().valueAfter("bedrock converse: "), outputText(converse));
            assertEquals("end_turn", converse.attribute("langfuse.observation.metadata.finish_reason"));
            JsonNode usage = json(converse, "langfuse.observation.usage_details");
            assertEquals(36, usage.path("input").asLong());
            assertEquals(1024, usage.path("input_cached_tokens").asLong());
            assertEquals(1074, usage.path("total").asLong());
            JsonNode cost = json(converse, "langfuse.observation.cost_details");
            assertEquals(36 * 1.00 / 1e6, cost.path("input").asDouble(), EPS);
            assertEquals(1024 * 0.10 / 1e6, cost.path("input_cached_tokens").asDouble(), EPS);
            assertEquals(14 * 5.00 / 1e6, cost.path("output").asDouble(), EPS);

            ReceivedSpan asking = generations.get(1);
            JsonNode toolUse = json(asking, "langfuse.observation.output").at("/content/1/toolUse");
            assertEquals("get_weather", toolUse.path("name").asText());
            assertEquals("Seattle", toolUse.path("input").path("city").asText());
            assertEquals("tool_use", asking.attribute("langfuse.observation.metadata.finish_reason"));
            JsonNode tools = json(asking, "langfuse.observation.input").at("/toolConfig/tools/0/toolSpec");
            assertEquals("get_weather", tools.path("name").asText());
            assertEquals("object", tools.at("/inputSchema/json/type").asText(), "a Document member is plain JSON");
            ReceivedSpan answering = generations.get(2);
            JsonNode history = json(answering, "langfuse.observation.input").path("messages");
            JsonNode toolResult = history.at("/3/content/0/toolResult");
            assertEquals(toolUse.path("toolUseId").asText(), toolResult.path("toolUseId").asText());
            assertEquals(12, toolResult.at("/content/0/json/temperature").asInt());
            assertEquals(run.result().valueAfter("bedrock tool answer: "), outputText(answering));

            ReceivedSpan stream = generations.get(3);
            assertEquals("llm bedrock.converseStream", stream.name());
            assertEquals("true", stream.attribute("langfuse.observation.metadata.streaming"));
            assertEquals(run.result().valueAfter("bedrock stream: "), outputText(stream));
            assertEquals("end_turn", stream.attribute("langfuse.observation.metadata.finish_reason"));
            assertNull(stream.attribute("langfuse.observation.metadata.interrupted"));
            JsonNode streamUsage = json(stream, "langfuse.observation.usage_details");
            assertEquals(44, streamUsage.path("input").asLong());
            assertEquals(17, streamUsage.path("output").asLong());
            assertEquals((44 * 1.00 + 17 * 5.00) / 1e6,
                    json(stream, "langfuse.observation.cost_details").path("total").asDouble(), EPS);
            CloudLlmRuns.completionStart(stream);

            ReceivedSpan anthropic = generations.get(4);
            assertEquals("llm bedrock.invokeModel", anthropic.name());
            assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", anthropic.attribute("langfuse.observation.model.name"));
            assertEquals(200, json(anthropic, "langfuse.observation.model.parameters").path("max_tokens").asInt());
            assertEquals(run.result().valueAfter("bedrock invoke anthropic: "),
                    json(anthropic, "langfuse.observation.output").at("/content/0/text").asText());
            assertEquals((29 * 1.00 + 11 * 5.00) / 1e6,
                    json(anthropic, "langfuse.observation.cost_details").path("total").asDouble(), EPS);

            ReceivedSpan nova = generations.get(5);
            assertEquals("llm bedrock.invokeModel", nova.name());
            assertEquals("amazon.nova-lite-v1:0", nova.attribute("langfuse.observation.model.name"));
            assertEquals(run.result().valueAfter("bedrock invoke nova: "), outputText(nova));
            assertEquals((21 * 0.06 + 12 * 0.24) / 1e6,
                    json(nova, "langfuse.observation.cost_details").path("total").asDouble(), EPS);

            ReceivedSpan asyncConverse = generations.get(6);
            assertEquals("llm bedrock.converse", asyncConverse.name());
            assertEquals("amazon.nova-lite-v1:0", asyncConverse.attribute("langfuse.observation.model.name"));
            assertEquals(run.result().valueAfter("bedrock async converse: "), outputText(asyncConverse));
            for (ReceivedSpan generation : generations.subList(0, 7)) {
                assertNull(generation.attribute("langfuse.observation.level"));
            }

            assertEquals("400 ValidationException", run.result().valueAfter("bedrock error: "));
            ReceivedSpan failed = generations.get(7);
            assertEquals("llm bedrock.converse", failed.name());
            assertEquals("anthropic.claude-unknown-v1:0", failed.attribute("langfuse.observation.model.name"));
            assertEquals("ERROR", failed.attribute("langfuse.observation.level"));
            String status = (String) failed.attribute("langfuse.observation.status_message");
            assertTrue(status.contains("ValidationException") && status.contains("model identifier is invalid"), status);
            assertNull(failed.attribute("langfuse.observation.cost_details"), "no price for an unknown model");
        }
    }

    private static String outputText(ReceivedSpan generation) throws Exception {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : json(generation, "langfuse.observation.output").path("content")) {
            if (block.has("text")) {
                text.append(block.path("text").asText());
            }
        }
        return text.toString();
    }
}
