package dev.voicetrace.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maps real LangChain4j request and response objects, built with the library's own builders. */
class LangChain4jMapperTest {

    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather for a city")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city", "City name")
                    .required("city")
                    .build())
            .build();

    private static ChatRequest toolRoundTrip() {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_abc123").name("get_weather").arguments("{\"city\":\"Lisbon\"}").build();
        return ChatRequest.builder()
                .messages(List.of(
                        SystemMessage.from("You are a concise travel assistant."),
                        UserMessage.from("What is the weather in Lisbon right now?"),
                        AiMessage.from(List.of(call)),
                        ToolExecutionResultMessage.from(call, "{\"temp_c\":21,\"sky\":\"sunny\"}")))
                .parameters(DefaultChatRequestParameters.builder()
                        .modelName("gpt-4o-mini")
                        .temperature(0.3)
                        .maxOutputTokens(200)
                        .topP(0.9)
                        .toolSpecifications(WEATHER)
                        .build())
                .build();
    }

    @Test
    void requestKeepsEveryMessageWithRolesToolCallsAndToolResults() {
        StageRecord record = new StageRecord();
        LangChain4jMapper.request(toolRoundTrip(), record);

        assertEquals("gpt-4o-mini", record.model);
        assertEquals(0.3, record.modelParameters.get("temperature"));
        assertEquals(200, record.modelParameters.get("max_output_tokens"));
        assertEquals(0.9, record.modelParameters.get("top_p"));
        JsonNode messages = record.input.get("messages");
        assertEquals(4, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("You are a concise travel assistant.", messages.get(0).get("content").asText());
        assertEquals("user", messages.get(1).get("role").asText());
        assertEquals("What is the weather in Lisbon right now?", messages.get(1).get("content").asText());
        JsonNode toolCall = messages.get(2).get("tool_calls").get(0);
        assertEquals("assistant", messages.get(2).get("role").asText());
        assertEquals("call_abc123", toolCall.get("id").asText());
        assertEquals("get_weather", toolCall.get("function").get("name").asText());
        assertEquals("{\"city\":\"Lisbon\"}", toolCall.get("function").get("arguments").asText());
        assertEquals("tool", messages.get(3).get("role").asText());
        assertEquals("call_abc123", messages.get(3).get("tool_call_id").asText());
        assertEquals("{\"temp_c\":21,\"sky\":\"sunny\"}", messages.get(3).get("content").asText());
        JsonNode tool = record.input.get("tools").get(0).get("function");
        assertEquals("get_weather", tool.get("name").asText());
        assertEquals("string", tool.get("parameters").get("properties").get("city").get("type").asText());
        assertEquals("city", tool.get("parameters").get("required").get(0).asText());
        assertEquals("What is the weather in Lisbon right now?", record.inputText);
    }

    @Test
    void responseGivesReplyFinishReasonUsageAndModel() {
        StageRecord record = new StageRecord();
        LangChain4jMapper.request(toolRoundTrip(), record);
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from("It is 21 degrees and sunny in Lisbon."))
                .metadata(ChatResponseMetadata.builder()
                        .id("chatcmpl-42")
                        .modelName("gpt-4o-mini-2024-07-18")
                        .tokenUsage(new TokenUsage(120, 14))
                        .finishReason(FinishReason.STOP)
                        .build())
                .build();

        LangChain4jMapper.response(response, record);

        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals("It is 21 degrees and sunny in Lisbon.", record.outputText);
        assertEquals("assistant", record.output.get("role").asText());
        assertEquals("It is 21 degrees and sunny in Lisbon.", record.output.get("content").asText());
        assertFalse(record.output.has("tool_calls"));
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-42", record.metadata.get("response_id"));
        assertEquals(120L, record.usage.get("input"));
        assertEquals(14L, record.usage.get("output"));
        assertEquals(134L, record.usage.get("total"));
        assertNull(record.metadata.get("model_provider"), "core's own metadata names no provider module");
    }

    @Test
    void aToolCallResponseIsTheOutput() {
        StageRecord record = new StageRecord();
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from(ToolExecutionRequest.builder()
                        .id("call_1").name("get_weather").arguments("{\"city\":\"Porto\"}").build()))
                .finishReason(FinishReason.TOOL_EXECUTION)
                .tokenUsage(new TokenUsage(80, 18))
                .build();

        LangChain4jMapper.response(response, record);

        assertEquals("tool_execution", record.metadata.get("finish_reason"));
        assertEquals("get_weather", record.output.get("tool_calls").get(0).get("function").get("name").asText());
        assertEquals(true, record.output.get("content").isNull());
        assertNull(record.outputText);
        assertEquals(98L, record.usage.get("total"));
    }

    @Test
    void theLatestUserTextLinksAndMultiPartUserMessagesKeepTheirTextParts() {
        StageRecord record = new StageRecord();
        ChatRequest request = ChatRequest.builder()
                .messages(UserMessage.from("first question"), AiMessage.from("first answer"),
                        UserMessage.from(dev.langchain4j.data.message.TextContent.from("part one"),
                                dev.langchain4j.data.message.TextContent.from("part two")))
                .build();

        LangChain4jMapper.request(request, record);

        assertEquals("part one\npart two", record.inputText);
        JsonNode parts = record.input.get("messages").get(2).get("content");
        assertEquals("text", parts.get(0).get("type").asText());
        assertEquals("part two", parts.get(1).get("text").asText());
        assertNull(record.model, "no model name in the request: the response's is used");
    }

    @Test
    void theProviderModuleIsReadFromAProviderClassPackage() {
        assertNull(LangChain4jMapper.modelProvider(new ChatResponseMetadata.Builder<>().build()));
        assertNull(LangChain4jMapper.modelProvider("a string"));
        assertEquals("langchain4j", LangChain4jOperations.PROVIDER);
    }
}
