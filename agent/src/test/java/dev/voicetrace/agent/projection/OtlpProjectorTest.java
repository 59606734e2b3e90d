package dev.voicetrace.agent.projection;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.REPLY;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.SESSION;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.TRANSCRIPT;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.standin.LangfuseSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpProjectorTest {

    private final VoiceTurnFixture fixture = new VoiceTurnFixture();
    private final OtlpProjector projector = new OtlpProjector(new ProjectionContext("bakery-bot", "staging",
            "v1.2.3", "0.1.0-test", fixture.ids, () -> T0 + ms(10_000)));

    /** The request body exactly as the exporter assembles it for the OTLP endpoint. */
    private String request(List<ObjectNode> spans) {
        WireFormat format = projector.wireFormat();
        List<byte[]> items = new ArrayList<>();
        spans.forEach(span -> items.add(VoiceTurnFixture.encode(span)));
        return new String(format.encode(items), StandardCharsets.UTF_8);
    }

    private List<ObjectNode> projectTurn() {
        List<ObjectNode> spans = new ArrayList<>();
        for (LinkedObservation observation : fixture.observations()) {
            List<ObjectNode> projected = projector.observation(observation);
            assertEquals(1, projected.size());
            spans.addAll(projected);
        }
        List<ObjectNode> root = projector.turn(fixture.turn);
        assertEquals(1, root.size());
        spans.addAll(root);
        return spans;
    }

    /** Attribute values by key; a repeated key would be a bug, so it fails the test. */
    static Map<String, JsonNode> attributes(JsonNode span) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (JsonNode attribute : span.get("attributes")) {
            JsonNode previous = result.put(attribute.get("key").asText(), attribute.get("value"));
            assertNull(previous, "attribute " + attribute.get("key") + " appears twice");
        }
        return result;
    }

    static String string(Map<String, JsonNode> attributes, String key) {
        JsonNode value = attributes.get(key);
        assertNotNull(value, "missing attribute " + key + " in " + attributes.keySet());
        assertTrue(value.has("stringValue"), key + " is not a string: " + value);
        return value.get("stringValue").asText();
    }

    private static String quotedIso(long epochNanos) {
        return "\"" + Instant.ofEpochSecond(0, epochNanos) + "\"";
    }

    @Test
    void wholeTurnIsAValidOtlpRequest() {
        String body = request(projectTurn());
        LangfuseSchema.load().assertValidOtlpRequest(body);

        JsonNode tree = parse(body);
        JsonNode resourceSpans = tree.get("resourceSpans");
        assertEquals(1, resourceSpans.size());
        Map<String, JsonNode> resource = attributes(resourceSpans.get(0).get("resource"));
        assertEquals("bakery-bot", string(resource, "service.name"));
        assertEquals("staging", string(resource, "deployment.environment"));
        assertEquals("0.1.0-test", string(resource, "telemetry.sdk.version"));
        JsonNode scopeSpans = resourceSpans.get(0).get("scopeSpans").get(0);
        assertEquals("voicetrace", scopeSpans.at("/scope/name").asText());
        assertEquals(5, scopeSpans.get("spans").size());
    }

    @Test
    void observationSpansAreGenerationsUnderTheTurnRoot() {
        List<ObjectNode> spans = projectTurn();
        String traceId = fixture.turn.traceId;
        String rootId = fixture.turn.rootSpanId;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ObjectNode span = spans.get(i);
            LinkedObservation observation = fixture.observations().get(i);
            names.add(span.get("name").asText());
            assertEquals(traceId, span.get("traceId").asText());
            assertEquals(observation.spanId, span.get("spanId").asText());
            assertEquals(rootId, span.get("parentSpanId").asText(), "parent is the turn's root span");
            assertEquals(3, span.get("kind").asInt(), "CLIENT");
            assertEquals(1, span.at("/status/code").asInt());

            // OTLP/JSON writes 64-bit nanosecond times as decimal strings.
            assertTrue(span.get("startTimeUnixNano").isTextual());
            assertTrue(span.get("endTimeUnixNano").isTextual());
            assertEquals(Long.toString(observation.record.startEpochNanos), span.get("startTimeUnixNano").asText());
            assertEquals(Long.toString(observation.record.endEpochNanos), span.get("endTimeUnixNano").asText());

            Map<String, JsonNode> attributes = attributes(span);
            assertEquals("generation", string(attributes, "langfuse.observation.type"));
            assertEquals(SESSION, string(attributes, "langfuse.session.id"));
            assertEquals(SESSION, string(attributes, "session.id"));
            assertEquals("staging", string(attributes, "langfuse.environment"));
            assertEquals("v1.2.3", string(attributes, "langfuse.release"));
            assertEquals("openai", string(attributes, "gen_ai.system"));
            assertEquals(parse(observation.record.input.toString()),
                    parse(string(attributes, "langfuse.observation.input")));
            assertEquals(parse(observation.record.output.toString()),
                    parse(string(attributes, "langfuse.observation.output")));
            assertEquals("1", string(attributes, "langfuse.observation.metadata.turn_index"));
            assertEquals("voice-turn", string(attributes, "langfuse.trace.name"), "a trace first seen through a child is named");
        }
        assertEquals(List.of("stt openai.audio.transcriptions", "llm openai.chat.completions",
                "llm openai.chat.completions", "tts openai.audio.speech"), names);
    }

    @Test
    void modelCallAttributes() {
        ObjectNode span = projector.observation(fixture.answer).get(0);
        Map<String, JsonNode> attributes = attributes(span);

        assertEquals("gpt-4o-mini-2024-07-18", string(attributes, "langfuse.observation.model.name"));
        assertEquals("gpt-4o-mini-2024-07-18", string(attributes, "gen_ai.request.model"));

        JsonNode parameters = parse(string(attributes, "langfuse.observation.model.parameters"));
        assertEquals(0.2, parameters.get("temperature").asDouble());
        assertEquals(256, parameters.get("max_completion_tokens").asInt());

        JsonNode usage = parse(string(attributes, "langfuse.observation.usage_details"));
        // disjoint buckets: Langfuse adds every input_* key to input, so input is what is left
        assertEquals(93, usage.get("input").asLong());
        assertEquals(34, usage.get("output").asLong());
        assertEquals(1163, usage.get("total").asLong());
        assertEquals(1024, usage.get("input_cached_tokens").asLong());
        assertEquals(12, usage.get("output_reasoning_tokens").asLong());
        assertEquals(1117, attributes.get("gen_ai.usage.input_tokens").get("intValue").asLong());
        assertEquals(46, attributes.get("gen_ai.usage.output_tokens").get("intValue").asLong());

        JsonNode cost = parse(string(attributes, "langfuse.observation.cost_details"));
        double expected = 93 * 0.15e-6 + 1024 * 0.075e-6 + 46 * 0.60e-6;
        assertEquals(34 * 0.60e-6, cost.get("output").asDouble(), 1e-12, "cost keys match the usage keys");
        assertEquals(expected, cost.get("total").asDouble(), 1e-12);
        assertTrue(cost.has("input_cached_tokens"));

        assertEquals("stop", string(attributes, "langfuse.observation.metadata.finish_reason"));
        assertEquals("llm", string(attributes, "langfuse.observation.metadata.stage"));
        assertEquals("false", string(attributes, "langfuse.observation.metadata.streaming"));
        assertEquals(fixture.stt.spanId, string(attributes, "langfuse.observation.metadata.linked_from"));
        assertEquals(fixture.stt.spanId, string(attributes, "langfuse.observation.metadata.from_stt"));
        assertEquals("content", string(attributes, "langfuse.observation.metadata.linked_by"));
        assertFalse(attributes.containsKey("langfuse.observation.completion_start_time"), "no first token known");
        assertFalse(attributes.containsKey("langfuse.observation.level"));
    }

    @Test
    void streamedCallHasCompletionStartTimeAsQuotedIsoString() {
        Map<String, JsonNode> attributes = attributes(projector.observation(fixture.toolCall).get(0));
        String value = string(attributes, "langfuse.observation.completion_start_time");
        assertEquals(quotedIso(T0 + ms(700)), value);
        assertEquals("2025-10-09T08:53:20.700Z", parse(value).asText());
        assertEquals("true", string(attributes, "langfuse.observation.metadata.streaming"));
        assertEquals("tool_calls", string(attributes, "langfuse.observation.metadata.finish_reason"));
        JsonNode output = parse(string(attributes, "langfuse.observation.output"));
        assertEquals("get_opening_hours", output.at("/tool_calls/0/function/name").asText());
    }

    @Test
    void speechSpanLinksToTheModelCall() {
        Map<String, JsonNode> attributes = attributes(projector.observation(fixture.speech).get(0));
        assertEquals(fixture.answer.spanId, string(attributes, "langfuse.observation.metadata.from_llm"));
        assertFalse(attributes.containsKey("langfuse.observation.metadata.from_stt"));
        assertEquals("alloy", string(attributes, "langfuse.observation.metadata.voice"));
        assertEquals("tts-1", string(attributes, "langfuse.observation.model.name"));
        assertFalse(attributes.containsKey("langfuse.observation.usage_details"), "characters are not tokens");
        assertEquals("26", string(attributes, "langfuse.observation.metadata.tts_characters"));
        assertEquals(26 * 15.0e-6, parse(string(attributes, "langfuse.observation.cost_details")).get("characters").asDouble(),
                1e-12);
        assertEquals(quotedIso(T0 + ms(1700)), string(attributes, "langfuse.observation.completion_start_time"));
    }

    @Test
    void rootSpanCarriesTheTraceAndTurnMetrics() {
        ObjectNode root = projector.turn(fixture.turn).get(0);
        assertEquals(fixture.turn.traceId, root.get("traceId").asText());
        assertEquals(fixture.turn.rootSpanId, root.get("spanId").asText());
        assertFalse(root.has("parentSpanId"));
        assertEquals("voice-turn", root.get("name").asText());
        assertEquals(1, root.get("kind").asInt(), "INTERNAL");
        assertEquals(Long.toString(T0), root.get("startTimeUnixNano").asText());
        assertEquals(Long.toString(T0 + ms(2500)), root.get("endTimeUnixNano").asText());

        Map<String, JsonNode> attributes = attributes(root);
        assertEquals("span", string(attributes, "langfuse.observation.type"));
        assertEquals("voice-turn", string(attributes, "langfuse.trace.name"));
        assertEquals(SESSION, string(attributes, "langfuse.session.id"));
        assertEquals("\"" + TRANSCRIPT + "\"", string(attributes, "langfuse.trace.input"));
        assertEquals(REPLY, parse(string(attributes, "langfuse.trace.output")).asText());
        assertEquals(TRANSCRIPT, parse(string(attributes, "langfuse.observation.input")).asText());

        assertEquals(1, attributes.get("langfuse.trace.metadata.turn_index").get("intValue").asLong());
        assertEquals(400.0, attributes.get("langfuse.trace.metadata.stt_latency_ms").get("doubleValue").asDouble());
        assertEquals(1050.0, attributes.get("langfuse.trace.metadata.llm_latency_ms").get("doubleValue").asDouble());
        assertEquals(1300.0, attributes.get("langfuse.trace.metadata.voice_to_voice_ms").get("doubleValue").asDouble());
        assertEquals(150.0,
                attributes.get("langfuse.observation.metadata.tts_time_to_first_byte_ms").get("doubleValue").asDouble());
        assertEquals(1300.0, attributes.get("voicetrace.turn.voice_to_voice_ms").get("doubleValue").asDouble());
        // 113 tokens of the streamed call plus 1163 of the answer; audio seconds and characters are not tokens.
        assertEquals(1276, attributes.get("langfuse.trace.metadata.total_tokens").get("intValue").asLong());
        assertEquals(1276, attributes.get("voicetrace.turn.total_tokens").get("intValue").asLong());
        assertTrue(attributes.get("voicetrace.turn.total_cost_usd").get("doubleValue").asDouble() > 0);
        assertEquals(1, root.at("/status/code").asInt());
    }

    @Test
    void failedCallIsAnErrorSpan() {
        LinkedObservation failed = fixture.failedCall();
        List<ObjectNode> spans = new ArrayList<>(projector.observation(failed));
        spans.addAll(projector.turn(failed.turn));
        LangfuseSchema.load().assertValidOtlpRequest(request(spans));

        ObjectNode span = spans.get(0);
        assertEquals(2, span.at("/status/code").asInt());
        assertTrue(span.at("/status/message").asText().contains("RateLimitException"));
        Map<String, JsonNode> attributes = attributes(span);
        assertEquals("ERROR", string(attributes, "langfuse.observation.level"));
        assertTrue(string(attributes, "langfuse.observation.status_message").contains("429"));
        assertFalse(attributes.containsKey("langfuse.observation.output"), "no output: no attribute, not null");
        assertFalse(attributes.containsKey("langfuse.observation.usage_details"));
        Map<String, JsonNode> root = attributes(spans.get(1));
        assertFalse(root.containsKey("langfuse.trace.output"), "a turn without reply has no output attribute");
        assertEquals("something nobody said", parse(string(root, "langfuse.trace.input")).asText());
    }

    @Test
    void environmentAndReleaseAreOptional() {
        OtlpProjector bare = new OtlpProjector(new ProjectionContext("svc", null, null, "dev", fixture.ids,
                () -> T0));
        Map<String, JsonNode> attributes = attributes(bare.observation(fixture.stt).get(0));
        assertFalse(attributes.containsKey("langfuse.environment"));
        assertFalse(attributes.containsKey("langfuse.release"));
        Map<String, JsonNode> resource = attributes(bare.resourceEnvelope().get("resource"));
        assertFalse(resource.containsKey("deployment.environment"));
    }
}
