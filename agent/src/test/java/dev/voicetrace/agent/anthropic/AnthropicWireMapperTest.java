package dev.voicetrace.agent.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.JsonFixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.cost.UsageBuckets;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicWireMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EPS = 1e-12;

    static JsonNode fixture(String name) {
        return JsonFixtures.json("/anthropic/" + name);
    }

    static List<JsonNode> fixtureLines(String name) {
        return JsonFixtures.jsonLines("/anthropic/" + name);
    }

    private static StageRecord record() {
        StageRecord record = new StageRecord();
        record.kind = StageKind.LLM;
        record.provider = "anthropic";
        return record;
    }

    @Test
    void requestPutsTheSystemPromptFirstAndKeepsParameters() {
        StageRecord record = record();
        AnthropicWireMapper.request(fixture("messages-request.json"), record);

        assertEquals("claude-haiku-4-5", record.model);
        assertEquals(300, ((Number) record.modelParameters.get("max_tokens")).intValue());
        assertEquals(0.7, ((Number) record.modelParameters.get("temperature")).doubleValue(), EPS);
        assertEquals(0.9, ((Number) record.modelParameters.get("top_p")).doubleValue(), EPS);
        assertEquals(40, ((Number) record.modelParameters.get("top_k")).intValue());
        assertEquals("[\"\\n\\nCaller:\"]", record.modelParameters.get("stop_sequences"));
        assertEquals(List.of("max_tokens", "temperature", "top_p", "top_k", "stop_sequences"),
                new ArrayList<>(record.modelParameters.keySet()));

        JsonNode messages = record.input.get("messages");
        assertEquals(6, messages.size(), "system prompt plus the five conversation messages");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("You are a friendly voice assistant for a city travel help line.",
                messages.get(0).get("content").get(0).get("text").asText());
        assertEquals("user", messages.get(1).get("role").asText());
        assertEquals("Hi, I'm planning a walk this afternoon.", messages.get(1).get("content").asText());
        assertEquals("tool_use", messages.get(4).get("content").get(1).get("type").asText());
        assertEquals("tool_result", messages.get(5).get("content").get(0).get("type").asText());
        assertEquals("get_weather", record.input.get("tools").get(0).get("name").asText());
        assertEquals("auto", record.input.get("tool_choice").get("type").asText());
        assertFalse(record.input.has("system"), "the system prompt is a message, not a second copy");

        // the last user message only returns a tool result: the words before it are the prompt
        assertEquals("Along the river in Lisbon.\nWhat's the weather like there right now?", record.inputText);
    }

    @Test
    void stringSystemPromptAndStringUserContent() throws Exception {
        StageRecord record = record();
        AnthropicWireMapper.request(JSON.readTree("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                + "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"), record);
        JsonNode messages = record.input.get("messages");
        assertEquals(2, messages.size());
        assertEquals("Be brief.", messages.get(0).get("content").asText());
        assertEquals("Hello there", record.inputText);
        assertFalse(record.input.has("tools"));
        assertEquals(1, record.modelParameters.size());
    }

    @Test
    void responseWithTextAndToolUse() {
        StageRecord record = record();
        record.model = "claude-haiku-4-5";
        AnthropicWireMapper.response(fixture("messages-response-tool-use.json"), record);

        assertEquals("claude-haiku-4-5-20251001", record.model, "the response names the snapshot");
        assertEquals("assistant", record.output.get("role").asText());
        JsonNode content = record.output.get("content");
        assertEquals(2, content.size());
        assertEquals("text", content.get(0).get("type").asText());
        JsonNode toolUse = content.get(1);
        assertEquals("tool_use", toolUse.get("type").asText());
        assertEquals("get_weather", toolUse.get("name").asText());
        assertEquals("toolu_01D7FLrfh4GYq7yT1ULFeyMV", toolUse.get("id").asText());
        assertEquals("Lisbon", toolUse.get("input").get("city").asText());
        assertEquals("Let me check the current conditions in Lisbon for you.", record.outputText);
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals("msg_01Aq9w938a90dw8q", record.metadata.get("response_id"));
        assertFalse(record.metadata.containsKey("stop_sequence"));

        assertEquals(412L + 1536, record.usage.get("input"), "the whole input: input_tokens plus the cache reads");
        assertEquals(71L, record.usage.get("output"));
        assertEquals(1536L, record.usage.get("input_cached_tokens"));
        assertEquals(0L, record.usage.get("input_cache_creation_tokens"));
        assertEquals(412L + 71 + 1536, record.usage.get("total"), "cache reads are on top of input_tokens");
        assertEquals(412L + 71 + 1536, record.totalTokens());
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 412L, "input_cached_tokens", 1536L, "output", 71L, "total", 412L + 1536 + 71),
                record.usage, "Langfuse's input sum is the whole input, counted once");
    }

    @Test
    void streamedTextIsReassembledAndTheFirstTextEventFound() {
        StageRecord record = record();
        List<JsonNode> events = fixtureLines("messages-stream-text.jsonl");
        int first = AnthropicWireMapper.events(events, record);

        assertEquals(3, first, "message_start, the empty block start and ping carry no text");
        String reply = "Try the riverside cafes in Cais do Sodre, they serve grilled sardines.";
        assertEquals(reply, record.outputText);
        JsonNode content = record.output.get("content");
        assertEquals(1, content.size());
        assertEquals("text", content.get(0).get("type").asText());
        assertEquals(reply, content.get(0).get("text").asText());
        assertEquals("end_turn", record.metadata.get("finish_reason"));
        assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", record.metadata.get("response_id"));
        assertEquals("claude-haiku-4-5-20251001", record.model);
        assertEquals(96L + 1024, record.usage.get("input"));
        assertEquals(17L, record.usage.get("output"), "message_delta's count replaces message_start's");
        assertEquals(1024L, record.usage.get("input_cached_tokens"));
        assertEquals(96L + 17 + 1024, record.usage.get("total"));
    }

    @Test
    void streamedToolUseIsJoinedFromItsInputJsonDeltas() {
        StageRecord record = record();
        int first = AnthropicWireMapper.events(fixtureLines("messages-stream-tool-use.jsonl"), record);

        assertEquals(3, first);
        JsonNode content = record.output.get("content");
        assertEquals(2, content.size());
        assertEquals("Let me check the weather in Lisbon.", content.get(0).get("text").asText());
        JsonNode toolUse = content.get(1);
        assertEquals("tool_use", toolUse.get("type").asText());
        assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", toolUse.get("id").asText());
        assertEquals("get_weather", toolUse.get("name").asText());
        assertTrue(toolUse.get("input").isObject(), "the fragments form one JSON object: " + toolUse);
        assertEquals("Lisbon", toolUse.get("input").get("city").asText());
        assertEquals("celsius", toolUse.get("input").get("unit").asText());
        assertEquals("Let me check the weather in Lisbon.", record.outputText);
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals(472L, record.usage.get("input"));
        assertEquals(89L, record.usage.get("output"));
        assertNull(record.usage.get("input_cached_tokens"), "not reported, not invented");
        assertEquals(472L + 89, record.usage.get("total"));
    }

    @Test
    void aToolUseOnlyStreamStartsOutputAtItsFirstInputFragment() {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode event : fixtureLines("messages-stream-tool-use.jsonl")) {
            int index = event.path("index").asInt(-1);
            if (index != 0) {
                events.add(event);
            }
        }
        StageRecord record = record();
        int first = AnthropicWireMapper.events(events, record);
        assertEquals("content_block_delta", events.get(first).get("type").asText());
        assertEquals("input_json_delta", events.get(first).get("delta").get("type").asText());
        assertEquals("", record.outputText);
        assertEquals(1, record.output.get("content").size());
    }

    @Test
    void anInterruptedToolInputIsKeptAsItCame() {
        List<JsonNode> events = fixtureLines("messages-stream-tool-use.jsonl").subList(0, 10);
        StageRecord record = record();
        AnthropicWireMapper.events(events, record);
        JsonNode toolUse = record.output.get("content").get(1);
        assertEquals("{\"city\": \"Lisbon\", \"unit\"", toolUse.get("input").asText());
        assertFalse(record.metadata.containsKey("finish_reason"));
    }

    @Test
    void costPricesCacheReadsAndWritesBesideTheInput() {
        PriceTable prices = PriceTable.load(null);

        StageRecord reads = record();
        AnthropicWireMapper.response(fixture("messages-response-tool-use.json"), reads);
        prices.settle(reads);
        // claude-haiku-4-5: $1 input, $0.10 cache read, $1.25 cache write, $5 output per million
        assertEquals(412 * 1.00 / 1e6, reads.cost.get("input"), EPS, "input_tokens exclude the cache reads");
        assertEquals(1536 * 0.10 / 1e6, reads.cost.get("input_cached_tokens"), EPS);
        assertFalse(reads.cost.containsKey("input_cache_creation_tokens"), "no cache writes, no cost line");
        assertEquals(71 * 5.00 / 1e6, reads.cost.get("output"), EPS);
        assertEquals((412 * 1.00 + 1536 * 0.10 + 71 * 5.00) / 1e6, reads.totalCost(), EPS);

        StageRecord writes = record();
        AnthropicWireMapper.response(fixture("messages-response-text.json"), writes);
        prices.settle(writes);
        assertEquals(38 * 1.00 / 1e6, writes.cost.get("input"), EPS);
        assertEquals(2048 * 1.25 / 1e6, writes.cost.get("input_cache_creation_tokens"), EPS);
        assertEquals(30 * 5.00 / 1e6, writes.cost.get("output"), EPS);
        assertEquals((38 * 1.00 + 2048 * 1.25 + 30 * 5.00) / 1e6, writes.totalCost(), EPS);
    }

    @Test
    void cacheCountsCostTheInputRateWhenTheModelHasNoCacheRates(@org.junit.jupiter.api.io.TempDir
                                                                 java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("prices.json");
        java.nio.file.Files.writeString(file, "{\"models\":{\"claude-haiku-4-5\":{\"input\":1.0,\"output\":5.0}}}");
        StageRecord record = record();
        AnthropicWireMapper.response(fixture("messages-response-tool-use.json"), record);
        PriceTable.load(file.toString()).settle(record);
        assertEquals(412 * 1.00 / 1e6, record.cost.get("input"), EPS);
        assertEquals(1536 * 1.00 / 1e6, record.cost.get("input_cached_tokens"), EPS, "the input rate");
        assertEquals((412 + 1536) * 1.00 / 1e6 + 71 * 5.0 / 1e6, record.totalCost(), EPS);
    }

    @Test
    void currentClaudeModelsHavePrices() {
        PriceTable prices = PriceTable.load(null);
        for (String model : List.of("claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101",
                "claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-fable-5-1")) {
            StageRecord record = record();
            record.model = model;
            record.usage.put("input", 1000L);
            record.usage.put("output", 100L);
            prices.settle(record);
            assertTrue(record.totalCost() > 0, model + " is priced");
        }
        StageRecord opus = record();
        opus.model = "claude-opus-5-5";
        opus.usage.put("input", 1_000_000L);
        prices.settle(opus);
        assertEquals(4.00, opus.totalCost(), EPS, "the longest matching key wins (claude-opus-5-5, not -5)");
    }
}
