package dev.voicetrace.agent.projection;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;
import static dev.voicetrace.agent.projection.OtlpProjectorTest.attributes;
import static dev.voicetrace.agent.projection.OtlpProjectorTest.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.link.ToolBracketer;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.openai.OpenAiWireMapper;
import dev.voicetrace.agent.pipeline.TurnSummaryPrinter;
import dev.voicetrace.standin.LangfuseSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A voice turn with a tool (transcript, a streamed model call asking for get_opening_hours, the
 * follow-up with its result, and a framework tool that failed) projected onto both wire formats:
 * tool observations are valid against Langfuse's OpenAPI spec, typed {@code tool} / {@code TOOL},
 * named for the tool, with arguments and result, no model, usage or cost; the turn's figures hold
 * the tool time, and so does the summary line.
 */
class ToolProjectionTest {

    private final SequentialIds ids = new SequentialIds();
    private final Linker linker = new Linker(ids, "default-session", TimeUnit.SECONDS.toNanos(30));
    private final ToolBracketer tools = new ToolBracketer(ids);
    private final List<LinkedObservation> observations = new ArrayList<>();
    private final Turn turn;
    private final LinkedObservation inferred;
    private final LinkedObservation failed;

    ToolProjectionTest() {
        linker.useToolBracketer(tools);
        StageRecord stt = record(StageKind.STT, "openai", 0, 400);
        stt.contextSessionId = "call-42";
        stt.contextTurnAnchor = 1;
        OpenAiWireMapper.transcriptionResponse(VoiceTurnFixture.fixture("transcription-response-duration.json"), stt);
        link(stt);

        JsonNode request = VoiceTurnFixture.fixture("chat-request.json");
        StageRecord asking = record(StageKind.LLM, "openai", 450, 900);
        asking.contextTurnAnchor = 1;
        asking.streaming = true;
        OpenAiWireMapper.chatRequest(request, asking);
        OpenAiWireMapper.chatChunks(VoiceTurnFixture.lines("chat-stream-chunks.jsonl"), asking);
        link(asking);

        StageRecord tool = record(StageKind.TOOL, "langchain4j", 910, 950);
        tool.contextTurnAnchor = 1;
        tool.metadata.put("tool_name", "check_stock");
        tool.metadata.put("timing", "observed");
        tool.input = VoiceTurnFixture.parse("{\"item\":\"croissant\"}");
        tool.error = "java.lang.IllegalStateException: stock service unavailable";
        failed = link(tool);

        ObjectNode followUp = request.deepCopy();
        ArrayNode messages = (ArrayNode) followUp.get("messages");
        messages.add(asking.output);
        messages.addObject().put("role", "tool").put("tool_call_id", "call_DdmO9pD3xa9XTPNJ32zg2hcA")
                .put("content", "{\"opens\": \"07:00\", \"closes\": \"18:00\"}");
        StageRecord answer = record(StageKind.LLM, "openai", 1080, 1500);
        answer.contextTurnAnchor = 1;
        OpenAiWireMapper.chatRequest(followUp, answer);
        OpenAiWireMapper.chatResponse(VoiceTurnFixture.fixture("chat-response.json"), answer);
        link(answer);
        inferred = observations.get(observations.size() - 1);

        turn = observations.get(0).turn;
        for (Turn closed : linker.closeAll()) {
            tools.turnClosed(closed);
        }
    }

    private LinkedObservation link(StageRecord record) {
        LinkedObservation observation = linker.link(record).observation;
        observations.add(observation);
        observations.addAll(tools.afterLinked(observation));
        return observation;
    }

    private static StageRecord record(StageKind kind, String provider, long startMs, long endMs) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = provider;
        record.operation = kind == StageKind.TOOL ? "tool" : "call";
        record.startEpochNanos = T0 + ms(startMs);
        record.endEpochNanos = T0 + ms(endMs);
        return record;
    }

    @Test
    void toolSpansAreValidOtlpAndCarryNameArgumentsResultAndTiming() {
        OtlpProjector projector = new OtlpProjector(new ProjectionContext("bakery-bot", "staging", "v1.2.3",
                "0.1.0-test", ids, () -> T0 + ms(10_000)));
        List<ObjectNode> spans = new ArrayList<>();
        observations.forEach(observation -> spans.addAll(projector.observation(observation)));
        spans.addAll(projector.turn(turn));
        List<byte[]> items = new ArrayList<>();
        spans.forEach(span -> items.add(VoiceTurnFixture.encode(span)));
        String body = new String(projector.wireFormat().encode(items),
                StandardCharsets.UTF_8);
        LangfuseSchema.load().assertValidOtlpRequest(body);

        JsonNode span = spans.get(observations.indexOf(inferred));
        Map<String, JsonNode> attributes = attributes(span);
        assertEquals("tool get_opening_hours", span.get("name").asText());
        assertEquals("tool", string(attributes, "langfuse.observation.type"));
        assertEquals("voice-turn", string(attributes, "langfuse.trace.name"), "a tool span names its trace too");
        assertEquals(turn.rootSpanId, span.get("parentSpanId").asText(), "under the turn, beside the model calls");
        assertEquals(Long.toString(T0 + ms(900)), span.get("startTimeUnixNano").asText());
        assertEquals(Long.toString(T0 + ms(1080)), span.get("endTimeUnixNano").asText());
        assertEquals("{\"date\":\"2025-03-11\"}", string(attributes, "langfuse.observation.input"));
        assertEquals("{\"opens\":\"07:00\",\"closes\":\"18:00\"}", string(attributes, "langfuse.observation.output"));
        assertEquals("inferred", string(attributes, "langfuse.observation.metadata.timing"));
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", string(attributes, "langfuse.observation.metadata.tool_call_id"));
        assertEquals("get_opening_hours", string(attributes, "gen_ai.tool.name"));
        assertEquals("tool", string(attributes, "langfuse.observation.metadata.stage"));
        assertEquals(observations.get(1).spanId, string(attributes, "langfuse.observation.metadata.from_llm"));
        for (String absent : List.of("langfuse.observation.model.name", "langfuse.observation.usage_details",
                "langfuse.observation.cost_details", "langfuse.observation.level")) {
            assertFalse(attributes.containsKey(absent), absent);
        }

        Map<String, JsonNode> failedAttributes = attributes(spans.get(observations.indexOf(failed)));
        assertEquals("ERROR", string(failedAttributes, "langfuse.observation.level"));
        assertEquals("java.lang.IllegalStateException: stock service unavailable",
                string(failedAttributes, "langfuse.observation.status_message"));
        assertEquals(1, span.get("status").get("code").asInt(), "an answered tool is OK");

        Map<String, JsonNode> root = attributes(spans.get(spans.size() - 1));
        assertEquals(220.0, root.get("langfuse.trace.metadata.tool_time_ms").get("doubleValue").asDouble(),
                "180 ms inferred + 40 ms observed");
        assertEquals(220.0, root.get("voicetrace.turn.tool_time_ms").get("doubleValue").asDouble());
    }

    @Test
    void toolEventsAreValidIngestionObservationsOfTypeTool() {
        IngestionProjector projector = new IngestionProjector(new ProjectionContext("bakery-bot", "staging",
                "v1.2.3", "0.1.0-test", ids, () -> T0 + ms(10_000)));
        List<byte[]> items = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        observations.forEach(observation -> events.addAll(projector.observation(observation)));
        events.addAll(projector.turn(turn));
        events.forEach(event -> items.add(VoiceTurnFixture.encode(event)));
        String body = new String(projector.wireFormat().encode(items),
                StandardCharsets.UTF_8);
        LangfuseSchema.load().assertValidIngestionRequest(body);

        JsonNode event = events.get(observations.indexOf(inferred));
        assertEquals("observation-create", event.get("type").asText());
        JsonNode tool = event.get("body");
        assertEquals("TOOL", tool.get("type").asText());
        assertEquals("tool get_opening_hours", tool.get("name").asText());
        assertEquals(turn.rootSpanId, tool.get("parentObservationId").asText());
        assertEquals("2025-10-09T08:53:20.900Z", tool.get("startTime").asText());
        assertEquals("2025-10-09T08:53:21.080Z", tool.get("endTime").asText());
        assertEquals("2025-03-11", tool.get("input").get("date").asText());
        assertEquals("07:00", tool.get("output").get("opens").asText());
        assertEquals("inferred", tool.get("metadata").get("timing").asText());
        assertEquals("DEFAULT", tool.get("level").asText());
        assertNull(tool.get("model"));
        assertNull(tool.get("usageDetails"));
        assertNull(tool.get("costDetails"));
        JsonNode failedBody = events.get(observations.indexOf(failed)).get("body");
        assertEquals("ERROR", failedBody.get("level").asText());
        assertTrue(failedBody.get("output").isNull());
    }

    @Test
    void turnFiguresAndSummaryLineShowTheToolTime() {
        TurnMetrics metrics = turn.metrics();
        assertEquals(220.0, metrics.latenciesMs.get("tool_time_ms"));
        assertEquals(5, metrics.observations);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TurnSummaryPrinter(new PrintStream(out, true, StandardCharsets.UTF_8)).print(turn);
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains(" tool_time=220.0ms "), line);
        assertTrue(line.contains(" observations=5 "), line);
    }
}
