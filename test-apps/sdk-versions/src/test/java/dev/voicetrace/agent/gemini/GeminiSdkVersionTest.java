package dev.voicetrace.agent.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import dev.voicetrace.agent.matrix.Fixtures;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** google-genai's own content builders, config and responses, read by the agent's extractor. */
class GeminiSdkVersionTest {

    private final GeminiExtractor extractor = new GeminiExtractor();

    private static List<Content> contents() {
        return List.of(
                Content.builder().role("user").parts(Part.fromText("What's the weather in Lisbon?")).build(),
                Content.builder().role("model").parts(Part.builder()
                        .functionCall(FunctionCall.builder().name("get_weather")
                                .args(Map.of("city", "Lisbon", "unit", "celsius")).build())
                        .build()).build(),
                Content.builder().role("user").parts(Part.fromFunctionResponse("get_weather",
                        Map.of("temperature", 19, "condition", "sunny"))).build());
    }

    /** The SDK's own config parser over a config as an application builds it (HTTP options included). */
    private static GenerateContentConfig config() {
        return GenerateContentConfig.fromJson(Fixtures.text("/gemini/sdk-config.json"));
    }

    @Test
    void generateContent() throws Exception {
        // The fixture's thought signature is shortened past valid base64, which the SDK's parser refuses.
        GenerateContentResponse response = GenerateContentResponse.fromJson(
                Fixtures.text("/gemini/generate-content-response-function-call.json")
                        .replace("\"CiQB0e2Kb1x\"", "\"CiQB0e2K\""));
        StageRecord record = SdkCall.of("google", GeminiOperations.GENERATE_CONTENT, StageKind.LLM, false, extractor,
                        "gemini-2.5-flash", contents(), config())
                .response(response)
                .extract();

        assertEquals("gemini-2.5-flash", record.model);
        assertEquals("What's the weather in Lisbon?", record.inputText);
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals(4, record.input.get("messages").size());
        assertEquals("get_weather", record.input.at("/tools/0/functionDeclarations/0/name").asText());
        assertEquals(256, ((Number) record.modelParameters.get("maxOutputTokens")).intValue());
        assertEquals(0.7, ((Number) record.modelParameters.get("temperature")).doubleValue(), 1e-6);
        assertEquals("{\"thinkingBudget\":512}", record.modelParameters.get("thinkingConfig"));
        assertFalse(record.input.toString().contains("demo-gemini-key"), "HTTP options stay out of the record");
        assertEquals("get_weather", record.output.at("/parts/1/functionCall/name").asText());
        assertEquals("Lisbon", record.output.at("/parts/1/functionCall/args/city").asText());
        assertEquals("", record.outputText, "a thought is not output text");
        assertEquals(67L, record.usage.get("total"));
        assertEquals("STOP", record.metadata.get("finish_reason"));
    }

    @Test
    void generateContentStream() throws Exception {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        for (String line : Fixtures.lines("/gemini/stream-chunks.jsonl")) {
            chunks.add(GenerateContentResponse.fromJson(line));
        }
        StageRecord record = SdkCall.of("google", GeminiOperations.GENERATE_CONTENT, StageKind.LLM, true, extractor,
                        "gemini-2.5-flash", contents(), config())
                .stream(chunks)
                .extract();

        assertEquals("Take the Santa Justa lift up to Carmo, then walk down to the river at sunset.", record.outputText);
        assertEquals(SdkCall.STREAM_START_NANOS, record.firstOutputEpochNanos);
        assertEquals(27L, record.usage.get("input"));
        assertEquals(27L, record.usage.get("output"), "thoughts count as output");
        assertEquals(54L, record.usage.get("total"));
        assertEquals("STOP", record.metadata.get("finish_reason"));
    }
}
