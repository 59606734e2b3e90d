package dev.voicetrace.agent.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockWireMapperTest {

    private static final double EPS = 1e-12;

    private static JsonNode fixture(String name) {
        return JsonFixtures.json("/bedrock/" + name);
    }

    private static StageRecord record() {
        StageRecord record = new StageRecord();
        record.kind = StageKind.LLM;
        record.provider = "bedrock";
        return record;
    }

    @Test
    void modelIdsLoseTheirInferenceProfileGeography() {
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0",
                BedrockWireMapper.modelName("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", BedrockWireMapper.modelName(
                "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0"));
        assertEquals("amazon.nova-lite-v1:0", BedrockWireMapper.modelName("amazon.nova-lite-v1:0"));
        assertNull(BedrockWireMapper.modelName(null));
    }

    @Test
    void converseRequestPutsTheSystemFirstAndKeepsToolsAndParameters() {
        StageRecord record = record();
        BedrockWireMapper.converseRequest(fixture("converse-request.json"), record);

        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0", record.model);
        assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", record.metadata.get("model_id"));
        assertEquals(List.of("maxTokens", "temperature", "topP", "stopSequences"),
                List.copyOf(record.modelParameters.keySet()));
        assertEquals(300, ((Number) record.modelParameters.get("maxTokens")).intValue());
        JsonNode messages = record.input.get("messages");
        assertEquals(4, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("get_weather", messages.at("/2/content/1/toolUse/name").asText());
        assertEquals("get_weather", record.input.at("/toolConfig/tools/0/toolSpec/name").asText());
        assertEquals("What's the weather at my destination, Seattle?", record.inputText,
                "a message of tool results only is not what the user said");
    }

    @Test
    void converseResponseWithAToolUse() {
        StageRecord record = record();
        record.model = "anthropic.claude-sonnet-4-5-20250929-v1:0";
        BedrockWireMapper.converseResponse(fixture("converse-response-tool-use.json"), record);

        assertEquals("assistant", record.output.get("role").asText());
        assertEquals("Seattle", record.output.at("/content/1/toolUse/input/city").asText());
        assertEquals("Let me check the weather for you.", record.outputText);
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals("612", record.metadata.get("latency_ms"));
        assertEquals(412L, record.usage.get("input"));
        assertEquals(58L, record.usage.get("output"));
        assertEquals(470L, record.usage.get("total"));

        PriceTable.load(null).settle(record);
        assertEquals((412 * 3.00 + 58 * 15.00) / 1e6, record.totalCost(), EPS);
    }

    @Test
    void cacheReadsAndWritesAreBesideInputAndPricedAtTheirRates() {
        StageRecord record = record();
        record.model = "anthropic.claude-haiku-4-5-20251001-v1:0";
        BedrockWireMapper.converseResponse(fixture("converse-response-cached.json"), record);

        assertEquals(36L + 1024 + 1048, record.usage.get("input"), "the whole input");
        assertEquals(1024L, record.usage.get("input_cached_tokens"));
        assertEquals(1048L, record.usage.get("input_cache_creation_tokens"));
        assertEquals(2127L, record.usage.get("total"));

        PriceTable.load(null).settle(record);
        assertEquals(Map.of("input", 36L, "input_cached_tokens", 1024L, "input_cache_creation_tokens", 1048L,
                "output", 19L, "total", 2127L), record.usage);
        assertEquals(36 * 1.00 / 1e6, record.cost.get("input"), EPS);
        assertEquals(1024 * 0.10 / 1e6, record.cost.get("input_cached_tokens"), EPS);
        assertEquals(1048 * 1.25 / 1e6, record.cost.get("input_cache_creation_tokens"), EPS);
        assertEquals(19 * 5.00 / 1e6, record.cost.get("output"), EPS);
    }

    @Test
    void streamEventsReassembleTextAndAToolUse() {
        StageRecord record = record();
        int first = BedrockWireMapper.converseStreamEvents(
                JsonFixtures.jsonLines("/bedrock/converse-stream-events.jsonl"), record);

        assertEquals(1, first, "the first text delta");
        assertEquals("Let me check the weather.", record.outputText);
        JsonNode content = record.output.get("content");
        assertEquals(2, content.size());
        assertEquals("tooluse_3vXq9bTfRi2Lh5wPz0aE1g", content.at("/1/toolUse/toolUseId").asText());
        assertEquals("Seattle", content.at("/1/toolUse/input/city").asText(), "input JSON fragments are joined and parsed");
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals("702", record.metadata.get("latency_ms"));
        assertEquals(473L, record.usage.get("total"));
    }

    @Test
    void anInterruptedStreamKeepsAnUnparseableToolInputAsText() {
        StageRecord record = record();
        List<JsonNode> events = JsonFixtures.jsonLines("/bedrock/converse-stream-events.jsonl").subList(0, 6);
        BedrockWireMapper.converseStreamEvents(events, record);

        assertEquals("{\"city\": ", record.output.at("/content/1/toolUse/input").asText());
        assertNull(record.metadata.get("finish_reason"));
        assertEquals(0, record.usage.size());
    }

    @Test
    void invokeModelWithAnAnthropicBody() {
        StageRecord record = record();
        BedrockWireMapper.invokeModelRequest("us.anthropic.claude-haiku-4-5-20251001-v1:0",
                fixture("invoke-anthropic-request.json"), record);
        BedrockWireMapper.invokeModelResponse(fixture("invoke-anthropic-response.json"), record);

        assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", record.model, "the model id, not the body's name");
        assertEquals("claude-haiku-4-5-20251001", record.metadata.get("response_model"));
        assertEquals(200, ((Number) record.modelParameters.get("max_tokens")).intValue());
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("Is seat 14C an aisle seat?", record.inputText);
        assertEquals("Your seat 14C is an aisle seat.", record.outputText);
        assertEquals("end_turn", record.metadata.get("finish_reason"));
        assertEquals(40L, record.usage.get("total"));
        PriceTable.load(null).settle(record);
        assertEquals((29 * 1.00 + 11 * 5.00) / 1e6, record.totalCost(), EPS);
    }

    @Test
    void invokeModelWithATitanTextBody() {
        StageRecord record = record();
        BedrockWireMapper.invokeModelRequest("amazon.titan-text-express-v1", fixture("invoke-titan-request.json"),
                record);
        BedrockWireMapper.invokeModelResponse(fixture("invoke-titan-response.json"), record);

        assertEquals("amazon.titan-text-express-v1", record.model);
        assertEquals(512, ((Number) record.modelParameters.get("maxTokenCount")).intValue());
        assertEquals("User: Which terminal does my flight leave from?\nBot:", record.inputText);
        assertEquals(" Your flight leaves from Terminal 2.", record.outputText);
        assertEquals("FINISH", record.metadata.get("finish_reason"));
        assertEquals(13L, record.usage.get("input"));
        assertEquals(9L, record.usage.get("output"));
        assertEquals(22L, record.usage.get("total"));
        PriceTable.load(null).settle(record);
        assertEquals((13 * 0.20 + 9 * 0.60) / 1e6, record.totalCost(), EPS);
    }

    @Test
    void invokeModelWithANovaBody() {
        StageRecord record = record();
        BedrockWireMapper.invokeModelRequest("amazon.nova-lite-v1:0", fixture("invoke-nova-request.json"), record);
        BedrockWireMapper.invokeModelResponse(fixture("invoke-nova-response.json"), record);

        assertEquals("amazon.nova-lite-v1:0", record.model);
        assertEquals(List.of("maxTokens", "temperature", "topP", "topK"), List.copyOf(record.modelParameters.keySet()));
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("Where is the lounge?", record.inputText);
        assertEquals("The lounge is on level 3, past security.", record.outputText);
        assertEquals(200L, record.usage.get("input_cached_tokens"));
        assertEquals(233L, record.usage.get("total"));
        PriceTable.load(null).settle(record);
        assertEquals((21 * 0.06 + 200 * 0.015 + 12 * 0.24) / 1e6, record.totalCost(), EPS);
    }

    @Test
    void invokeModelWithAnotherProvidersBodyKeepsTheBodies() throws Exception {
        StageRecord record = record();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        BedrockWireMapper.invokeModelRequest("meta.llama3-8b-instruct-v1:0",
                json.readTree("{\"prompt\":\"Hello\",\"max_gen_len\":64}"), record);
        BedrockWireMapper.invokeModelResponse(json.readTree(
                "{\"generation\":\"Hi there\",\"prompt_token_count\":3,\"generation_token_count\":2}"), record);

        assertEquals("meta.llama3-8b-instruct-v1:0", record.model);
        assertEquals("Hello", record.input.get("prompt").asText());
        assertEquals("Hi there", record.output.get("generation").asText());
        assertTrue(record.usage.isEmpty(), "usage of bodies the mapper does not know is not guessed");
    }
}
