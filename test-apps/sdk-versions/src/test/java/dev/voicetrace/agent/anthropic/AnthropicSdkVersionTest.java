package dev.voicetrace.agent.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import dev.voicetrace.agent.matrix.Fixtures;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** anthropic-java's own request builders, messages and stream events, read by the agent's extractor. */
class AnthropicSdkVersionTest {

    private final AnthropicExtractor extractor = new AnthropicExtractor();

    private static MessageCreateParams request() {
        return MessageCreateParams.builder()
                .model("claude-haiku-4-5")
                .maxTokens(300)
                .system("You are a friendly voice assistant for a city travel help line.")
                .addUserMessage("Hi, I'm planning a walk this afternoon.")
                .addAssistantMessage("Lovely! Where are you planning to walk?")
                .addUserMessage("Along the river in Lisbon. What's the weather like there right now?")
                .addTool(Tool.builder()
                        .name("get_weather")
                        .description("Get the current weather for a city.")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .addRequired("city")
                                .build())
                        .build())
                // 3.0.0's builder has no sampling setters; they go into the body as extra properties.
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.7))
                .putAdditionalBodyProperty("top_k", JsonValue.from(40))
                .stopSequences(List.of("\n\nCaller:"))
                .build();
    }

    @Test
    void message() throws Exception {
        Message response = ObjectMappers.jsonMapper()
                .readValue(Fixtures.text("/anthropic/messages-response-tool-use.json"), Message.class);
        StageRecord record = SdkCall.of("anthropic", AnthropicOperations.MESSAGES, StageKind.LLM, false, extractor, request())
                .response(response)
                .extract();

        assertEquals("claude-haiku-4-5-20251001", record.model);
        assertEquals(300, ((Number) record.modelParameters.get("max_tokens")).intValue());
        assertEquals(0.7, ((Number) record.modelParameters.get("temperature")).doubleValue(), 1e-9);
        assertEquals(40, ((Number) record.modelParameters.get("top_k")).intValue());
        assertEquals(4, record.input.get("messages").size(), "the system prompt and three messages");
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("Along the river in Lisbon. What's the weather like there right now?", record.inputText);
        assertEquals("get_weather", record.input.at("/tools/0/name").asText());
        assertEquals("Let me check the current conditions in Lisbon for you.", record.outputText);
        assertEquals("get_weather", record.output.at("/content/1/name").asText());
        assertEquals("Lisbon", record.output.at("/content/1/input/city").asText());
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals(412L + 1536, record.usage.get("input"));
        assertEquals(71L, record.usage.get("output"));
        assertEquals(1536L, record.usage.get("input_cached_tokens"));
    }

    @Test
    void streamEvents() throws Exception {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        for (String line : Fixtures.lines("/anthropic/messages-stream-tool-use.jsonl")) {
            events.add(ObjectMappers.jsonMapper().readValue(line, RawMessageStreamEvent.class));
        }
        StageRecord record = SdkCall.of("anthropic", AnthropicOperations.MESSAGES, StageKind.LLM, true, extractor, request())
                .stream(events)
                .extract();

        assertEquals(SdkCall.STREAM_START_NANOS + 3 * SdkCall.STREAM_ITEM_GAP_NANOS, record.firstOutputEpochNanos);
        assertEquals("Let me check the weather in Lisbon.", record.output.at("/content/0/text").asText());
        assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", record.output.at("/content/1/id").asText());
        assertEquals("Lisbon", record.output.at("/content/1/input/city").asText());
        assertEquals("celsius", record.output.at("/content/1/input/unit").asText());
        assertEquals("tool_use", record.metadata.get("finish_reason"));
    }
}
