package dev.voicetrace.agent.projection;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.REPLY;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.SESSION;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.TRANSCRIPT;
import static dev.voicetrace.agent.projection.VoiceTurnFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.standin.LangfuseSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestionProjectorTest {

    private final VoiceTurnFixture fixture = new VoiceTurnFixture();
    private final IngestionProjector projector = new IngestionProjector(new ProjectionContext("bakery-bot",
            "staging", "v1.2.3", "0.1.0-test", fixture.ids, () -> T0 + ms(10_000)));

    private String request(List<ObjectNode> events) {
        List<byte[]> items = new ArrayList<>();
        events.forEach(event -> items.add(VoiceTurnFixture.encode(event)));
        return new String(projector.wireFormat().encode(items), StandardCharsets.UTF_8);
    }

    private List<ObjectNode> projectTurn() {
        List<ObjectNode> events = new ArrayList<>();
        for (LinkedObservation observation : fixture.observations()) {
            events.addAll(projector.observation(observation));
        }
        events.addAll(projector.turn(fixture.turn));
        return events;
    }

    private static String iso(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }

    @Test
    void wholeTurnIsAValidIngestionBatch() {
        List<ObjectNode> events = projectTurn();
        String body = request(events);
        LangfuseSchema.load().assertValidIngestionRequest(body);

        JsonNode batch = parse(body).get("batch");
        assertEquals(6, batch.size());
        List<String> types = new ArrayList<>();
        batch.forEach(event -> types.add(event.get("type").asText()));
        assertEquals(List.of("generation-create", "generation-create", "generation-create", "generation-create",
                "trace-create", "span-create"), types);

        Set<String> ids = new HashSet<>();
        for (JsonNode event : batch) {
            String id = event.get("id").asText();
            assertEquals(id, UUID.fromString(id).toString(), "event ids are UUIDs");
            assertTrue(ids.add(id), "event id " + id + " is used twice");
            assertEquals(iso(T0 + ms(10_000)), event.get("timestamp").asText());
        }
    }

    @Test
    void generationCreateFields() {
        JsonNode body = projector.observation(fixture.toolCall).get(0).get("body");
        assertEquals(fixture.toolCall.spanId, body.get("id").asText());
        assertEquals(fixture.turn.traceId, body.get("traceId").asText());
        assertEquals(fixture.turn.rootSpanId, body.get("parentObservationId").asText());
        assertEquals("llm openai.chat.completions", body.get("name").asText());
        assertEquals("2025-10-09T08:53:20.450Z", body.get("startTime").asText());
        assertEquals(iso(T0 + ms(900)), body.get("endTime").asText());
        assertEquals(iso(T0 + ms(700)), body.get("completionStartTime").asText(), "a plain ISO string here");
        assertEquals("gpt-4o-mini-2024-07-18", body.get("model").asText());
        assertEquals("0.2", body.at("/modelParameters/temperature").asText());
        assertEquals("256", body.at("/modelParameters/max_completion_tokens").asText());
        assertTrue(body.get("modelParameters").get("temperature").isTextual());
        assertEquals(4, body.at("/input/messages").size());
        assertEquals("system", body.at("/input/messages/0/role").asText());
        assertEquals("get_opening_hours", body.at("/output/tool_calls/0/function/name").asText());
        assertEquals(82, body.at("/usageDetails/input").asLong());
        assertEquals(113, body.at("/usageDetails/total").asLong());
        assertTrue(body.at("/costDetails/total").asDouble() > 0);
        assertEquals("DEFAULT", body.get("level").asText());
        assertEquals("staging", body.get("environment").asText());
        assertEquals(fixture.stt.spanId, body.at("/metadata/linked_from").asText());
        assertEquals("tool_calls", body.at("/metadata/finish_reason").asText());
        assertEquals("true", body.at("/metadata/streaming").asText());
    }

    @Test
    void transcriptionWithoutFirstOutputHasNoCompletionStartTime() {
        JsonNode body = projector.observation(fixture.stt).get(0).get("body");
        assertFalse(body.has("completionStartTime"));
        assertEquals("whisper-1", body.get("model").asText());
        assertEquals(TRANSCRIPT, body.at("/output/text").asText());
        assertFalse(body.has("usageDetails"), "seconds are not tokens");
        assertEquals("4000", body.at("/metadata/billed_audio_ms").asText());
        assertEquals(4 * 0.006 / 60, body.at("/costDetails/audio").asDouble(), 1e-12);
        assertEquals(4 * 0.006 / 60, body.at("/costDetails/total").asDouble(), 1e-12);
        assertEquals("stt", body.at("/metadata/stage").asText());
    }

    @Test
    void traceAndRootSpanOfTheTurn() {
        List<ObjectNode> events = projector.turn(fixture.turn);
        assertEquals(2, events.size());

        JsonNode trace = events.get(0).get("body");
        assertEquals("trace-create", events.get(0).get("type").asText());
        assertEquals(fixture.turn.traceId, trace.get("id").asText());
        assertEquals(SESSION, trace.get("sessionId").asText());
        assertEquals("voice-turn", trace.get("name").asText());
        assertEquals(TRANSCRIPT, trace.get("input").asText());
        assertEquals(REPLY, trace.get("output").asText());
        assertEquals(iso(T0), trace.get("timestamp").asText());
        assertEquals("staging", trace.get("environment").asText());
        assertEquals("v1.2.3", trace.get("release").asText());
        assertEquals(1, trace.at("/metadata/turn_index").asInt());
        assertEquals(1276, trace.at("/metadata/total_tokens").asLong());
        assertEquals(1300.0, trace.at("/metadata/voice_to_voice_ms").asDouble());
        assertFalse(trace.get("metadata").has("llm_time_to_first_token_ms"),
                "time to first token is the last model call's, and that call did not stream");

        JsonNode root = events.get(1).get("body");
        assertEquals("span-create", events.get(1).get("type").asText());
        assertEquals(fixture.turn.rootSpanId, root.get("id").asText());
        assertEquals(fixture.turn.traceId, root.get("traceId").asText());
        assertFalse(root.has("parentObservationId"));
        assertEquals(iso(T0), root.get("startTime").asText());
        assertEquals(iso(T0 + ms(2500)), root.get("endTime").asText());
        assertEquals(TRANSCRIPT, root.get("input").asText());
        assertEquals(REPLY, root.get("output").asText());
        assertEquals(400.0, root.at("/metadata/stt_latency_ms").asDouble());
    }

    @Test
    void failedCallIsAnErrorGeneration() {
        LinkedObservation failed = fixture.failedCall();
        List<ObjectNode> events = new ArrayList<>(projector.observation(failed));
        events.addAll(projector.turn(failed.turn));
        LangfuseSchema.load().assertValidIngestionRequest(request(events));

        JsonNode body = events.get(0).get("body");
        assertEquals("ERROR", body.get("level").asText());
        assertTrue(body.get("statusMessage").asText().startsWith("com.openai.errors.RateLimitException"));
        assertTrue(body.get("output").isNull());
        assertFalse(body.has("usageDetails"));
        assertFalse(body.has("costDetails"));
        assertTrue(events.get(1).get("body").get("output").isNull());
    }
}
