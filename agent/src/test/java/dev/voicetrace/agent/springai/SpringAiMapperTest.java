package dev.voicetrace.agent.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
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
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;

/** Maps real Spring AI prompts and responses, built with the library's own constructors and builders. */
class SpringAiMapperTest {

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

    private static ChatResponse response(String text, String finishReason, int prompt, int completion) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
                ChatGenerationMetadata.builder().finishReason(finishReason).build())),
                ChatResponseMetadata.builder().id("chatcmpl-7").model("gpt-4o-mini-2024-07-18")
                        .usage(new DefaultUsage(prompt, completion)).build());
    }

    @Test
    void promptKeepsRolesToolCallsToolResultsOptionsAndTools() {
        AssistantMessage.ToolCall call = new AssistantMessage.ToolCall("call_1", "function", "get_weather",
                "{\"city\":\"Lisbon\"}");
        List<Message> messages = List.of(
                new SystemMessage("You are a concise travel assistant."),
                new UserMessage("Is it sunny in Lisbon?"),
                AssistantMessage.builder().content("").toolCalls(List.of(call)).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("call_1", "get_weather", "{\"temp_c\":21}"))).build());
        ChatOptions options = ToolCallingChatOptions.builder()
                .model("gpt-4o-mini").temperature(0.3).maxTokens(200).topP(0.9)
                .toolCallbacks(List.of(WEATHER)).build();
        StageRecord record = new StageRecord();

        SpringAiMapper.request(new Prompt(messages, options), record);

        assertEquals("gpt-4o-mini", record.model);
        assertEquals(0.3, record.modelParameters.get("temperature"));
        assertEquals(200, record.modelParameters.get("max_tokens"));
        assertEquals(0.9, record.modelParameters.get("top_p"));
        JsonNode input = record.input.get("messages");
        assertEquals("system", input.get(0).get("role").asText());
        assertEquals("user", input.get(1).get("role").asText());
        assertEquals("Is it sunny in Lisbon?", input.get(1).get("content").asText());
        assertEquals("assistant", input.get(2).get("role").asText());
        assertEquals("get_weather", input.get(2).get("tool_calls").get(0).get("function").get("name").asText());
        assertEquals("{\"city\":\"Lisbon\"}", input.get(2).get("tool_calls").get(0).get("function").get("arguments").asText());
        assertEquals("tool", input.get(3).get("role").asText());
        assertEquals("call_1", input.get(3).get("tool_call_id").asText());
        assertEquals("{\"temp_c\":21}", input.get(3).get("content").asText());
        JsonNode tool = record.input.get("tools").get(0).get("function");
        assertEquals("get_weather", tool.get("name").asText());
        assertEquals("city", tool.get("parameters").get("required").get(0).asText());
        assertEquals("Is it sunny in Lisbon?", record.inputText);
    }

    @Test
    void callResponseGivesReplyFinishReasonUsageAndModel() {
        StageRecord record = new StageRecord();
        SpringAiMapper.request(new Prompt("Suggest a dessert."), record);
        assertNull(record.model, "no options: the response names the model");

        SpringAiMapper.response(response("Try a pastel de nata.", "STOP", 30, 8), record);

        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals("Try a pastel de nata.", record.outputText);
        assertEquals("Try a pastel de nata.", record.output.get("content").asText());
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-7", record.metadata.get("response_id"));
        assertEquals(30L, record.usage.get("input"));
        assertEquals(8L, record.usage.get("output"));
        assertEquals(38L, record.usage.get("total"));
        assertEquals("Suggest a dessert.", record.inputText);
    }

    @Test
    void streamedResponsesAreJoinedAndTheirLastUsageKept() {
        List<Object> chunks = new ArrayList<>();
        chunks.add(response("", "", 0, 0));
        chunks.add(response("Try a ", "", 0, 0));
        chunks.add(response("pastel de nata.", "", 0, 0));
        chunks.add(response("", "STOP", 30, 8));
        StageRecord record = new StageRecord();

        int first = SpringAiMapper.streamedResponses(chunks, record);

        assertEquals(1, first, "the first chunk with text is the first token");
        assertEquals("Try a pastel de nata.", record.outputText);
        assertEquals("Try a pastel de nata.", record.output.get("content").asText());
        assertEquals(38L, record.usage.get("total"));
        assertEquals("stop", record.metadata.get("finish_reason"));
    }

    @Test
    void theProviderModuleIsReadFromProviderPackages() {
        assertNull(SpringAiMapper.moduleOf(ChatOptions.builder().build()));
        assertNull(SpringAiMapper.moduleOf("text"));
    }
}
