package dev.voicetrace.agent.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiWireMapperTest {

    private static final double EPS = 1e-12;

    private static JsonNode fixture(String name) {
        return JsonFixtures.json("/gemini/" + name);
    }

    private static StageRecord record() {
        StageRecord record = new StageRecord();
        record.kind = StageKind.LLM;
        record.provider = "google";
        return record;
    }

    @Test
    void libraryArgumentsBecomeTheApiBodyWithoutHttpOptions() {
        ObjectNode body = GeminiWireMapper.requestBody("gemini-2.5-flash", fixture("sdk-contents.json"),
                fixture("sdk-config.json"));

        assertEquals("gemini-2.5-flash", body.get("model").asText());
        assertEquals(3, body.get("contents").size());
        assertEquals("You are a friendly voice guide for Lisbon.",
                body.at("/systemInstruction/parts/0/text").asText());
        assertEquals("get_weather", body.at("/tools/0/functionDeclarations/0/name").asText());
        assertEquals("AUTO", body.at("/toolConfig/functionCallingConfig/mode").asText());
        JsonNode generation = body.get("generationConfig");
        assertEquals(0.7, generation.get("temperature").asDouble(), EPS);
        assertEquals(256, generation.get("maxOutputTokens").asInt());
        assertEquals(512, generation.at("/thinkingConfig/thinkingBudget").asInt());
        assertFalse(body.has("temperature"), "generation parameters live in generationConfig");
        assertFalse(body.toString().contains("demo-gemini-key"), "HTTP options and their headers are not in the body");
        assertFalse(body.has("automaticFunctionCalling"), "a client-side setting is not part of the request");
    }

    @Test
    void requestPutsTheSystemInstructionFirstAndKeepsParameters() {
        StageRecord record = record();
        JsonNode body = fixture("generate-content-request.json");
        ((ObjectNode) body).put("model", "models/gemini-2.5-flash");
        GeminiWireMapper.request(body, record);

        assertEquals("gemini-2.5-flash", record.model);
        assertEquals(List.of("maxOutputTokens", "temperature", "topP", "responseMimeType"),
                List.copyOf(record.modelParameters.keySet()));
        assertEquals(256, ((Number) record.modelParameters.get("maxOutputTokens")).intValue());
        JsonNode messages = record.input.get("messages");
        assertEquals(4, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("model", messages.get(2).get("role").asText());
        assertEquals("Somewhere near the river.", record.inputText, "inline audio is not text");
        JsonNode audio = messages.get(3).at("/parts/1/inlineData");
        assertEquals("audio/wav", audio.get("mimeType").asText());
        assertEquals(12, audio.get("bytes").asInt(), "the decoded size of the base64 data");
        assertFalse(audio.has("data"), "the audio itself is not exported");
    }

    @Test
    void functionResponsesAreNotWhatTheUserSaid() {
        StageRecord record = record();
        GeminiWireMapper.request(GeminiWireMapper.requestBody("gemini-2.5-flash", fixture("sdk-contents.json"),
                fixture("sdk-config.json")), record);

        assertEquals("What's the weather in Lisbon?", record.inputText);
        assertEquals("get_weather", record.input.at("/tools/0/functionDeclarations/0/name").asText());
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("{\"thinkingBudget\":512}", record.modelParameters.get("thinkingConfig"));
        assertEquals(40.0, ((Number) record.modelParameters.get("topK")).doubleValue(), EPS);
    }

    @Test
    void responseUsageCountsThoughtsAsOutputAndCacheInsideInput() {
        StageRecord record = record();
        record.model = "gemini-2.5-flash";
        GeminiWireMapper.response(fixture("generate-content-response-text.json"), record);

        assertEquals("Try the riverside walk from Cais do Sodré to Belém.", record.outputText);
        assertEquals("model", record.output.get("role").asText());
        assertEquals("STOP", record.metadata.get("finish_reason"));
        assertEquals("mF3Fae2dDpGm1MkP0r6x8Ak", record.metadata.get("response_id"));
        assertEquals(1290L, record.usage.get("input"));
        assertEquals(126L, record.usage.get("output"));
        assertEquals(1024L, record.usage.get("input_cached_tokens"));
        assertEquals(112L, record.usage.get("output_reasoning_tokens"));
        assertEquals(1416L, record.usage.get("total"));

        PriceTable.load(null).settle(record);
        assertEquals(Map.of("input", 266L, "input_cached_tokens", 1024L, "output", 14L, "output_reasoning_tokens", 112L,
                "total", 1416L), record.usage, "thoughts and cached content each counted once");
        assertEquals(266 * 0.30 / 1e6, record.cost.get("input"), EPS);
        assertEquals(1024 * 0.03 / 1e6, record.cost.get("input_cached_tokens"), EPS);
        assertEquals(14 * 2.50 / 1e6, record.cost.get("output"), EPS);
        assertEquals(112 * 2.50 / 1e6, record.cost.get("output_reasoning_tokens"), EPS, "thinking is billed as output");
        assertEquals((266 * 0.30 + 1024 * 0.03 + 126 * 2.50) / 1e6, record.totalCost(), EPS);
    }

    @Test
    void functionCallsAreOutputAndThoughtsAreNotOutputText() {
        StageRecord record = record();
        GeminiWireMapper.response(fixture("generate-content-response-function-call.json"), record);

        assertEquals("gemini-2.5-flash", record.model, "the response's model version when the request had none");
        JsonNode parts = record.output.get("parts");
        assertEquals(2, parts.size());
        assertEquals("get_weather", parts.get(1).at("/functionCall/name").asText());
        assertEquals("Lisbon", parts.get(1).at("/functionCall/args/city").asText());
        assertEquals("", record.outputText);
        assertEquals(67L, record.usage.get("total"));
        assertNull(record.usage.get("input_cached_tokens"));
    }

    @Test
    void streamedChunksJoinIntoOneResponseWithTheLastUsage() {
        StageRecord record = record();
        record.model = "gemini-2.5-flash";
        int first = GeminiWireMapper.chunks(JsonFixtures.jsonLines("/gemini/stream-chunks.jsonl"), record);

        assertEquals(0, first);
        assertEquals("Take the Santa Justa lift up to Carmo, then walk down to the river at sunset.", record.outputText);
        assertEquals(1, record.output.get("parts").size(), "adjacent text parts are joined");
        assertEquals("STOP", record.metadata.get("finish_reason"));
        assertEquals(27L, record.usage.get("input"));
        assertEquals(27L, record.usage.get("output"));
        assertEquals(54L, record.usage.get("total"));
    }

    @Test
    void aStreamedFunctionCallIsTheFirstOutput() {
        StageRecord record = record();
        int first = GeminiWireMapper.chunks(JsonFixtures.jsonLines("/gemini/stream-chunks-function-call.jsonl"), record);

        assertEquals(0, first);
        assertEquals("get_weather", record.output.at("/parts/0/functionCall/name").asText());
        assertEquals("gemini-2.0-flash", record.model);
    }

    @Test
    void anInterruptedStreamKeepsWhatArrived() {
        StageRecord record = record();
        List<JsonNode> chunks = JsonFixtures.jsonLines("/gemini/stream-chunks.jsonl").subList(0, 1);
        GeminiWireMapper.chunks(chunks, record);

        assertEquals("Take the ", record.outputText);
        assertNull(record.metadata.get("finish_reason"));
        assertEquals(30L, record.usage.get("total"));
    }

    @Test
    void anEmptyStreamHasNoOutputText() {
        StageRecord record = record();
        assertEquals(-1, GeminiWireMapper.chunks(List.of(), record));
        assertTrue(record.outputText.isEmpty());
        assertTrue(record.usage.isEmpty());
    }
}
