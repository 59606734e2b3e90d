package dev.voicetrace.agent.link;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.anthropic.AnthropicWireMapper;
import dev.voicetrace.agent.bedrock.BedrockWireMapper;
import dev.voicetrace.agent.gemini.GeminiWireMapper;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.openai.OpenAiWireMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Tool calls bracketed between two model calls, on recorded request and response payloads of each
 * SDK's provider, linked by the real Linker as the pipeline links them: single, parallel and
 * chained calls, streamed replies, a follow-up that never comes, results for unknown ids, and a
 * framework's own tool observation taking its call.
 */
class ToolBracketerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SequentialIds ids = new SequentialIds();
    private final Linker linker = new Linker(ids, "llm-only-app", TimeUnit.SECONDS.toNanos(30));
    private final ToolBracketer tools = new ToolBracketer(ids);
    /** Every tool observation the bracketer produced, in order. */
    private final List<LinkedObservation> toolObservations = new ArrayList<>();

    ToolBracketerTest() {
        linker.useToolBracketer(tools);
    }

    /** Links a record as the pipeline does: the linker places it, then the bracketer sees it. */
    private LinkedObservation link(StageRecord record) {
        LinkedObservation observation = linker.link(record).observation;
        toolObservations.addAll(tools.afterLinked(observation));
        return observation;
    }

    private static StageRecord llm(String provider, long startMs, long endMs) {
        StageRecord record = new StageRecord();
        record.kind = StageKind.LLM;
        record.provider = provider;
        record.operation = "call";
        record.startEpochNanos = T0 + ms(startMs);
        record.endEpochNanos = T0 + ms(endMs);
        return record;
    }

    private static StageRecord llm(String provider, long startMs, long endMs, JsonNode request,
                                   BiConsumer<JsonNode, StageRecord> mapRequest, JsonNode response,
                                   BiConsumer<JsonNode, StageRecord> mapResponse) {
        StageRecord record = llm(provider, startMs, endMs);
        mapRequest.accept(request, record);
        mapResponse.accept(response, record);
        return record;
    }

    private static void assertTool(LinkedObservation tool, String name, String callId, String arguments,
                                   String result, long startMs, long endMs) throws IOException {
        assertEquals(StageKind.TOOL, tool.record.kind);
        assertEquals(name, tool.record.metadata.get("tool_name"));
        assertEquals(callId, tool.record.metadata.get("tool_call_id"));
        assertEquals("inferred", tool.record.metadata.get("timing"));
        assertEquals(JSON.readTree(arguments), tool.record.input);
        assertEquals(JSON.readTree(result), tool.record.output);
        assertEquals(T0 + ms(startMs), tool.record.startEpochNanos, "starts when the asking call ended");
        assertEquals(T0 + ms(endMs), tool.record.endEpochNanos, "ends when the answering call started");
        assertTrue(tool.record.usage.isEmpty() && tool.record.cost.isEmpty() && tool.record.model == null);
        assertNull(tool.record.error);
    }

    @Test
    void openAiStreamedToolCallAndItsFollowUpBracketOneTool() throws IOException {
        JsonNode request = fixture("openai/chat-request.json");
        StageRecord asking = llm("openai", 0, 400);
        asking.streaming = true;
        OpenAiWireMapper.chatRequest(request, asking);
        OpenAiWireMapper.chatChunks(lines("openai/chat-stream-chunks.jsonl"), asking);
        LinkedObservation ask = link(asking);

        ObjectNode followUp = request.deepCopy();
        ArrayNode messages = (ArrayNode) followUp.get("messages");
        messages.add(asking.output);
        messages.addObject().put("role", "tool").put("tool_call_id", "call_DdmO9pD3xa9XTPNJ32zg2hcA")
                .put("content", "{\"opens\": \"07:00\", \"closes\": \"18:00\"}");
        LinkedObservation answer = link(llm("openai", 530, 900, followUp, OpenAiWireMapper::chatRequest,
                fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse));

        assertEquals(1, toolObservations.size());
        LinkedObservation tool = toolObservations.get(0);
        assertTool(tool, "get_opening_hours", "call_DdmO9pD3xa9XTPNJ32zg2hcA", "{\"date\": \"2025-03-11\"}",
                "{\"opens\": \"07:00\", \"closes\": \"18:00\"}", 400, 530);
        assertSame(ask.turn, answer.turn, "the follow-up joins the turn of the call that asked");
        assertSame(ask.turn, tool.turn);
        assertEquals(ask.spanId, tool.linkedFromSpanId);
        assertEquals(answer.spanId, tool.record.metadata.get("answered_by"));
        assertEquals("tool_call", answer.linkedBy);
        assertEquals(List.of(ask, answer, tool), ask.turn.observations());
        assertEquals(0, tools.pendingCount());
    }

    @Test
    void parallelCallsEachGetTheirOwnObservationWhateverTheOrderOfResults() throws IOException {
        link(llm("openai", 0, 300, fixture("tools/openai-chat-parallel-follow-up-request.json"),
                OpenAiWireMapper::chatRequest, fixture("tools/openai-chat-parallel-response.json"),
                OpenAiWireMapper::chatResponse));
        link(llm("openai", 450, 800, fixture("tools/openai-chat-parallel-follow-up-request.json"),
                OpenAiWireMapper::chatRequest, fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse));

        assertEquals(2, toolObservations.size());
        assertTool(toolObservations.get(0), "get_opening_hours", "call_T2bXo9fLq7cRe4Ha",
                "{\"place\":\"Oceanario\"}", "{\"opens\":\"10:00\",\"closes\":\"19:00\"}", 300, 450);
        assertTool(toolObservations.get(1), "get_weather", "call_w8Jq1nZkVd3mYp0r", "{\"city\":\"Lisbon\"}",
                "{\"temp_c\":21,\"sky\":\"sunny\"}", 300, 450);
    }

    @Test
    void chainedCallsAreBracketedRoundByRoundAndEarlierResultsAreNotCountedAgain() throws IOException {
        JsonNode request = fixture("tools/openai-chat-parallel-follow-up-request.json");
        ObjectNode first = request.deepCopy();
        ArrayNode firstMessages = (ArrayNode) first.get("messages");
        while (firstMessages.size() > 2) {
            firstMessages.remove(2);
        }
        link(llm("openai", 0, 200, first, OpenAiWireMapper::chatRequest,
                reply("call_A", "get_weather", "{\"city\":\"Lisbon\"}"), OpenAiWireMapper::chatResponse));

        ObjectNode second = first.deepCopy();
        ArrayNode secondMessages = (ArrayNode) second.get("messages");
        secondMessages.add(reply("call_A", "get_weather", "{\"city\":\"Lisbon\"}").at("/choices/0/message"));
        secondMessages.addObject().put("role", "tool").put("tool_call_id", "call_A").put("content", "sunny");
        link(llm("openai", 260, 500, second, OpenAiWireMapper::chatRequest,
                reply("call_B", "get_opening_hours", "{\"place\":\"Oceanario\"}"), OpenAiWireMapper::chatResponse));

        ObjectNode third = second.deepCopy();
        ArrayNode thirdMessages = (ArrayNode) third.get("messages");
        thirdMessages.add(reply("call_B", "get_opening_hours", "{\"place\":\"Oceanario\"}").at("/choices/0/message"));
        thirdMessages.addObject().put("role", "tool").put("tool_call_id", "call_B").put("content", "10:00-19:00");
        link(llm("openai", 620, 900, third, OpenAiWireMapper::chatRequest,
                fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse));

        assertEquals(2, toolObservations.size(), "one observation per call, the first not again in round three");
        assertTool(toolObservations.get(0), "get_weather", "call_A", "{\"city\":\"Lisbon\"}", "\"sunny\"", 200, 260);
        assertTool(toolObservations.get(1), "get_opening_hours", "call_B", "{\"place\":\"Oceanario\"}",
                "\"10:00-19:00\"", 500, 620);
        assertSame(toolObservations.get(0).turn, toolObservations.get(1).turn);
        assertEquals(5, toolObservations.get(0).turn.observations().size());
    }

    @Test
    void theSameCallIdInTwoSessionsBracketsEachSessionsOwnTool() throws IOException {
        JsonNode request = fixture("tools/openai-chat-parallel-follow-up-request.json");
        ObjectNode first = request.deepCopy();
        ArrayNode firstMessages = (ArrayNode) first.get("messages");
        while (firstMessages.size() > 2) {
            firstMessages.remove(2);
        }
        ObjectNode second = first.deepCopy();
        ArrayNode secondMessages = (ArrayNode) second.get("messages");
        secondMessages.add(reply("call_1", "get_weather", "{\"city\":\"Lisbon\"}").at("/choices/0/message"));
        secondMessages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny");
        for (String session : List.of("call-a", "call-b")) {
            StageRecord asking = llm("openai", 0, 200, first, OpenAiWireMapper::chatRequest,
                    reply("call_1", "get_weather", "{\"city\":\"Lisbon\"}"), OpenAiWireMapper::chatResponse);
            asking.contextSessionId = session;
            link(asking);
        }
        for (String session : List.of("call-a", "call-b")) {
            StageRecord answering = llm("openai", 300, 500, second, OpenAiWireMapper::chatRequest,
                    fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse);
            answering.contextSessionId = session;
            link(answering);
        }
        assertEquals(2, toolObservations.size(), "ids are the provider's: another session may use the same");
        assertEquals(List.of("call-a", "call-b"),
                List.of(toolObservations.get(0).sessionId, toolObservations.get(1).sessionId));
    }

    @Test
    void responsesApiFunctionCallAndItsOutput() throws IOException {
        link(llm("openai", 0, 250, fixture("openai/responses-request.json"), OpenAiWireMapper::responsesRequest,
                fixture("tools/openai-responses-function-call-response.json"), OpenAiWireMapper::responsesResponse));
        link(llm("openai", 390, 700, fixture("tools/openai-responses-follow-up-request.json"),
                OpenAiWireMapper::responsesRequest, fixture("openai/responses-response.json"),
                OpenAiWireMapper::responsesResponse));

        assertEquals(1, toolObservations.size());
        assertTool(toolObservations.get(0), "get_weather", "call_Yk2mP8sQw4nB7vXe",
                "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}", "{\"temp_c\":21,\"sky\":\"sunny\"}", 250, 390);
    }

    @Test
    void anthropicToolUseAndToolResult() throws IOException {
        link(llm("anthropic", 0, 350, fixture("anthropic/messages-request.json"), AnthropicWireMapper::request,
                fixture("anthropic/messages-response-tool-use.json"), AnthropicWireMapper::response));
        link(llm("anthropic", 480, 900, fixture("tools/anthropic-follow-up-request.json"),
                AnthropicWireMapper::request, fixture("anthropic/messages-response-text.json"),
                AnthropicWireMapper::response));

        assertEquals(1, toolObservations.size());
        assertTool(toolObservations.get(0), "get_weather", "toolu_01D7FLrfh4GYq7yT1ULFeyMV",
                "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}", "{\"temp_c\":21,\"sky\":\"sunny\"}", 350, 480);
    }

    @Test
    void anthropicStreamedToolInputIsReassembledBeforeItIsRead() throws IOException {
        StageRecord asking = llm("anthropic", 0, 500);
        AnthropicWireMapper.request(fixture("anthropic/messages-request.json"), asking);
        AnthropicWireMapper.events(lines("anthropic/messages-stream-tool-use.jsonl"), asking);
        link(asking);
        JsonNode toolUse = asking.output.get("content").get(asking.output.get("content").size() - 1);
        ObjectNode followUp = (ObjectNode) fixture("tools/anthropic-follow-up-request.json");
        ObjectNode result = (ObjectNode) followUp.at("/messages/2/content/0");
        result.put("tool_use_id", toolUse.get("id").asText());
        result.put("is_error", true);
        link(llm("anthropic", 620, 900, followUp, AnthropicWireMapper::request,
                fixture("anthropic/messages-response-text.json"), AnthropicWireMapper::response));

        assertEquals(1, toolObservations.size());
        StageRecord tool = toolObservations.get(0).record;
        assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", tool.metadata.get("tool_call_id"));
        assertEquals(toolUse.get("input"), tool.input, "the streamed input_json_delta fragments, joined");
        assertTrue(tool.input.has("city"), tool.input::toString);
        assertEquals("the application returned the tool result as an error", tool.error);
    }

    @Test
    void geminiFunctionCallsHaveNoIdsAndMatchByNameInTheirTurn() throws IOException {
        link(llm("google", 0, 300, fixture("gemini/generate-content-request.json"), GeminiWireMapper::request,
                fixture("gemini/generate-content-response-function-call.json"), GeminiWireMapper::response));
        link(llm("google", 410, 700, fixture("tools/gemini-follow-up-request.json"), GeminiWireMapper::request,
                fixture("gemini/generate-content-response-text.json"), GeminiWireMapper::response));

        assertEquals(1, toolObservations.size());
        assertTool(toolObservations.get(0), "get_weather", null, "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}",
                "{\"temp_c\":21,\"sky\":\"sunny\"}", 300, 410);
    }

    @Test
    void geminiResponsesOfAnEarlierRoundDoNotAnswerALaterCall() throws IOException {
        // The follow-up's text links it (no ids to do so): the same session's voice turn.
        StageRecord stt = Records.stt("What's the weather like by the river right now?", 0, 100);
        stt.contextTurnAnchor = 7;
        LinkedObservation heard = link(stt);
        StageRecord first = llm("google", 150, 300, fixture("tools/gemini-follow-up-request.json"),
                GeminiWireMapper::request, fixture("gemini/generate-content-response-function-call.json"),
                GeminiWireMapper::response);
        first.contextTurnAnchor = 7;
        link(first);
        // The next request only repeats the old round and asks again: its function response is stale.
        ObjectNode stale = (ObjectNode) fixture("tools/gemini-follow-up-request.json");
        ((ArrayNode) stale.get("contents")).addObject().put("role", "model").putArray("parts").addObject()
                .put("text", "It is sunny.");
        StageRecord second = llm("google", 400, 600, stale, GeminiWireMapper::request,
                fixture("gemini/generate-content-response-text.json"), GeminiWireMapper::response);
        second.contextTurnAnchor = 7;
        link(second);

        assertTrue(toolObservations.isEmpty(), "no result after the last model content: nothing answered");
        assertEquals(1, tools.pendingCount());
        tools.turnClosed(heard.turn);
        assertEquals(0, tools.pendingCount());
    }

    @Test
    void bedrockConverseToolUseAndToolResult() throws IOException {
        link(llm("bedrock", 0, 612, fixture("bedrock/converse-request.json"), BedrockWireMapper::converseRequest,
                fixture("bedrock/converse-response-tool-use.json"), BedrockWireMapper::converseResponse));
        link(llm("bedrock", 700, 1200, fixture("tools/bedrock-follow-up-request.json"),
                BedrockWireMapper::converseRequest, fixture("bedrock/converse-response-cached.json"),
                BedrockWireMapper::converseResponse));

        assertEquals(1, toolObservations.size());
        assertTool(toolObservations.get(0), "get_weather", "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "{\"city\":\"Seattle\"}",
                "{\"temp_c\":12,\"sky\":\"rain\"}", 612, 700);
    }

    @Test
    void bedrockStreamedToolUseIsRead() throws IOException {
        StageRecord asking = llm("bedrock", 0, 500);
        BedrockWireMapper.converseRequest(fixture("bedrock/converse-request.json"), asking);
        BedrockWireMapper.converseStreamEvents(lines("bedrock/converse-stream-events.jsonl"), asking);
        link(asking);
        ObjectNode followUp = (ObjectNode) fixture("tools/bedrock-follow-up-request.json");
        ((ObjectNode) followUp.at("/messages/2/content/0/toolResult")).put("toolUseId", "tooluse_3vXq9bTfRi2Lh5wPz0aE1g");
        link(llm("bedrock", 650, 900, followUp, BedrockWireMapper::converseRequest,
                fixture("bedrock/converse-response-cached.json"), BedrockWireMapper::converseResponse));

        assertEquals(1, toolObservations.size());
        assertEquals(JSON.readTree("{\"city\": \"Seattle\"}"), toolObservations.get(0).record.input);
    }

    @Test
    void aFollowUpThatNeverComesLeavesNoObservationOnceTheTurnCloses() throws IOException {
        LinkedObservation ask = link(llm("anthropic", 0, 350, fixture("anthropic/messages-request.json"),
                AnthropicWireMapper::request, fixture("anthropic/messages-response-tool-use.json"),
                AnthropicWireMapper::response));
        assertEquals(1, tools.pendingCount());
        for (Turn closed : linker.closeAll()) {
            tools.turnClosed(closed);
        }
        assertEquals(0, tools.pendingCount(), "nothing is held once the turn is closed");
        link(llm("anthropic", 5000, 5400, fixture("tools/anthropic-follow-up-request.json"),
                AnthropicWireMapper::request, fixture("anthropic/messages-response-text.json"),
                AnthropicWireMapper::response));
        assertTrue(toolObservations.isEmpty());
        assertEquals(1, ask.turn.observations().size());
    }

    @Test
    void aResultForAnUnknownIdIsIgnored() throws IOException {
        link(llm("openai", 0, 300, fixture("tools/openai-chat-parallel-follow-up-request.json"),
                OpenAiWireMapper::chatRequest, reply("call_known", "get_weather", "{}"),
                OpenAiWireMapper::chatResponse));
        LinkedObservation unrelated = link(llm("openai", 400, 700,
                fixture("tools/openai-chat-parallel-follow-up-request.json"), OpenAiWireMapper::chatRequest,
                fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse));
        assertTrue(toolObservations.isEmpty());
        assertEquals(1, tools.pendingCount(), "the asked call still waits for its own result");
        assertNull(unrelated.linkedBy, "nothing links a call whose results answer nothing pending");
    }

    @Test
    void aToolTheFrameworkObservedTakesItsCallAndIsNotInferredAgain() throws IOException {
        LinkedObservation ask = link(llm("langchain4j", 0, 300,
                fixture("tools/openai-chat-parallel-follow-up-request.json"), OpenAiWireMapper::chatRequest,
                fixture("tools/openai-chat-parallel-response.json"), OpenAiWireMapper::chatResponse));
        LinkedObservation byId = link(frameworkTool("get_weather", "call_w8Jq1nZkVd3mYp0r", "{\"city\":\"Lisbon\"}",
                310, 420));
        LinkedObservation byArguments = link(frameworkTool("get_opening_hours", null, "{ \"place\": \"Oceanario\" }",
                421, 440));
        link(llm("langchain4j", 450, 800, fixture("tools/openai-chat-parallel-follow-up-request.json"),
                OpenAiWireMapper::chatRequest, fixture("openai/chat-response.json"), OpenAiWireMapper::chatResponse));

        assertTrue(toolObservations.isEmpty(), "both calls were observed directly: nothing is inferred");
        assertSame(ask.turn, byId.turn, "a framework tool joins the turn of the call that asked for it");
        assertSame(ask.turn, byArguments.turn);
        assertEquals(ask.spanId, byId.linkedFromSpanId);
        assertEquals("call_T2bXo9fLq7cRe4Ha", byArguments.linkFacts.get("tool_call_id"),
                "matched by name and arguments, the call gets its id");
        assertEquals(4, ask.turn.observations().size());
    }

    @Test
    void pendingCallsStayWithinTheirLimit() throws IOException {
        ToolBracketer small = new ToolBracketer(ids, 3);
        Linker own = new Linker(ids, "s", TimeUnit.SECONDS.toNanos(30));
        own.useToolBracketer(small);
        for (int i = 0; i < 10; i++) {
            StageRecord asking = llm("openai", i * 1000, i * 1000 + 100,
                    fixture("tools/openai-chat-parallel-follow-up-request.json"), OpenAiWireMapper::chatRequest,
                    reply("call_" + i, "get_weather", "{}"), OpenAiWireMapper::chatResponse);
            asking.inputText = "question " + i;
            small.afterLinked(own.link(asking).observation);
        }
        assertTrue(small.pendingCount() <= 3, () -> "pending: " + small.pendingCount());
        assertEquals(7, small.evictions(), "the oldest turns' calls went first");
    }

    private static StageRecord frameworkTool(String name, String callId, String arguments, long startMs, long endMs) {
        StageRecord tool = new StageRecord();
        tool.kind = StageKind.TOOL;
        tool.provider = "langchain4j";
        tool.operation = "tool";
        tool.startEpochNanos = T0 + ms(startMs);
        tool.endEpochNanos = T0 + ms(endMs);
        tool.input = JSON.getNodeFactory().textNode(arguments);
        tool.output = JSON.getNodeFactory().textNode("ok");
        tool.metadata.put("tool_name", name);
        if (callId != null) {
            tool.metadata.put("tool_call_id", callId);
        }
        return tool;
    }

    /** A chat completion whose message asks for one tool call. */
    private static JsonNode reply(String id, String name, String arguments) {
        ObjectNode response = JSON.createObjectNode().put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = response.putArray("choices").addObject().put("finish_reason", "tool_calls");
        ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return response;
    }

    static JsonNode fixture(String path) {
        try (InputStream in = ToolBracketerTest.class.getResourceAsStream("/" + path)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> lines(String path) {
        try (InputStream in = ToolBracketerTest.class.getResourceAsStream("/" + path)) {
            List<JsonNode> result = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    result.add(JSON.readTree(line));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
