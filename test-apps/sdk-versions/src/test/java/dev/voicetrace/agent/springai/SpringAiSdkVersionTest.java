package dev.voicetrace.agent.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;

/** spring-ai-model's own Prompt and ChatResponse, read by the agent's extractor. */
class SpringAiSdkVersionTest {

    private final SpringAiExtractor extractor = new SpringAiExtractor();

    private static final ToolCallback WEATHER = new ToolCallback() {
        @Override
        public ToolDefinition getToolDefinition() {
            return DefaultToolDefinition.builder()
                    .name("get_weather")
                    .description("Current weather for a city")
                    .inputSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")
                    .build();
        }

        @Override
        public String call(String toolInput) {
            return "{\"temp_c\":21}";
        }
    };

    private static Prompt prompt() {
        AssistantMessage.ToolCall call = new AssistantMessage.ToolCall("call_1", "function", "get_weather",
                "{\"city\":\"Lisbon\"}");
        List<Message> messages = List.of(
                new SystemMessage("You are a concise travel assistant."),
                new UserMessage("Is it sunny in Lisbon?"),
                AssistantMessage.builder().content("").toolCalls(List.of(call)).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("call_1", "get_weather", "{\"temp_c\":21}"))).build());
        return new Prompt(messages, ToolCallingChatOptions.builder()
                .model("gpt-4o-mini").temperature(0.3).maxTokens(200).topP(0.9)
                .toolCallbacks(List.of(WEATHER)).build());
    }

    private static ChatResponse response(String text, String finishReason, int prompt, int completion) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
                ChatGenerationMetadata.builder().finishReason(finishReason).build())),
                ChatResponseMetadata.builder().id("chatcmpl-7").model("gpt-4o-mini-2024-07-18")
                        .usage(new DefaultUsage(prompt, completion)).build());
    }

    private static void assertPrompt(StageRecord record) {
        assertEquals(0.3, record.modelParameters.get("temperature"));
        assertEquals(200, record.modelParameters.get("max_tokens"));
        assertEquals(0.9, record.modelParameters.get("top_p"));
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("get_weather", record.input.at("/messages/2/tool_calls/0/function/name").asText());
        assertEquals("{\"city\":\"Lisbon\"}", record.input.at("/messages/2/tool_calls/0/function/arguments").asText());
        assertEquals("call_1", record.input.at("/messages/3/tool_call_id").asText());
        assertEquals("city", record.input.at("/tools/0/function/parameters/required/0").asText());
        assertEquals("Is it sunny in Lisbon?", record.inputText);
    }

    @Test
    void call() throws Exception {
        StageRecord record = SdkCall.of("spring-ai", SpringAiOperations.CALL, StageKind.LLM, false, extractor, prompt())
                .response(response("Yes, 21 degrees and sunny.", "STOP", 30, 8))
                .extract();

        assertPrompt(record);
        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals("Yes, 21 degrees and sunny.", record.outputText);
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-7", record.metadata.get("response_id"));
        assertEquals(38L, record.usage.get("total"));
    }

    @Test
    void stream() throws Exception {
        StageRecord record = SdkCall.of("spring-ai", SpringAiOperations.STREAM, StageKind.LLM, true, extractor, prompt())
                .stream(List.of(response("", "", 0, 0), response("Yes, 21 degrees ", "", 0, 0),
                        response("and sunny.", "", 0, 0), response("", "STOP", 30, 8)))
                .extract();

        assertPrompt(record);
        assertEquals(SdkCall.STREAM_START_NANOS + SdkCall.STREAM_ITEM_GAP_NANOS, record.firstOutputEpochNanos);
        assertEquals("Yes, 21 degrees and sunny.", record.outputText);
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals(38L, record.usage.get("total"));
    }
}
