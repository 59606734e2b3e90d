package dev.voicetrace.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** langchain4j-core's own ChatRequest and ChatResponse, read by the agent's extractor. */
class LangChain4jSdkVersionTest {

    private final LangChain4jExtractor extractor = new LangChain4jExtractor();

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
                        .toolSpecifications(ToolSpecification.builder()
                                .name("get_weather")
                                .description("Current weather for a city")
                                .parameters(JsonObjectSchema.builder().addStringProperty("city", "City name")
                                        .required("city").build())
                                .build())
                        .build())
                .build();
    }

    private static ChatResponse reply() {
        return ChatResponse.builder()
                .aiMessage(AiMessage.from("It is 21 degrees and sunny in Lisbon."))
                .metadata(ChatResponseMetadata.builder()
                        .id("chatcmpl-42")
                        .modelName("gpt-4o-mini-2024-07-18")
                        .tokenUsage(new TokenUsage(120, 14))
                        .finishReason(FinishReason.STOP)
                        .build())
                .build();
    }

    private static void assertRequest(StageRecord record) {
        assertEquals(0.3, record.modelParameters.get("temperature"));
        assertEquals(200, record.modelParameters.get("max_output_tokens"));
        assertEquals(0.9, record.modelParameters.get("top_p"));
        assertEquals(4, record.input.get("messages").size());
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("get_weather", record.input.at("/messages/2/tool_calls/0/function/name").asText());
        assertEquals("{\"city\":\"Lisbon\"}", record.input.at("/messages/2/tool_calls/0/function/arguments").asText());
        assertEquals("call_abc123", record.input.at("/messages/3/tool_call_id").asText());
        assertEquals("string", record.input.at("/tools/0/function/parameters/properties/city/type").asText());
        assertEquals("What is the weather in Lisbon right now?", record.inputText);
    }

    @Test
    void chat() throws Exception {
        StageRecord record = SdkCall.of("langchain4j", LangChain4jOperations.CHAT, StageKind.LLM, false, extractor,
                        toolRoundTrip())
                .response(reply())
                .extract();

        assertRequest(record);
        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals("It is 21 degrees and sunny in Lisbon.", record.outputText);
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-42", record.metadata.get("response_id"));
        assertEquals(134L, record.usage.get("total"));
    }

    @Test
    void streamedChatEndingInAToolCall() throws Exception {
        ChatResponse toolCall = ChatResponse.builder()
                .aiMessage(AiMessage.from(ToolExecutionRequest.builder()
                        .id("call_1").name("get_weather").arguments("{\"city\":\"Porto\"}").build()))
                .finishReason(FinishReason.TOOL_EXECUTION)
                .tokenUsage(new TokenUsage(80, 18))
                .build();
        StageRecord record = SdkCall.of("langchain4j", LangChain4jOperations.CHAT, StageKind.LLM, true, extractor,
                        toolRoundTrip(), null)
                .stream(List.of(PartialToolCall.builder().index(0).id("call_1").name("get_weather")
                        .partialArguments("{\"city\":").build()))
                .response(toolCall)
                .extract();

        assertRequest(record);
        assertEquals(SdkCall.STREAM_START_NANOS, record.firstOutputEpochNanos);
        assertEquals("tool_execution", record.metadata.get("finish_reason"));
        assertEquals("{\"city\":\"Porto\"}", record.output.at("/tool_calls/0/function/arguments").asText());
        assertEquals(98L, record.usage.get("total"));
    }

    /** A voice turn: the user's message carries the audio beside its transcript. */
    @Test
    void userMessageWithAudio() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .messages(UserMessage.from(TextContent.from("Book a table for two."),
                        AudioContent.from("UklGRiQAAABXQVZF", "audio/wav")))
                .build();
        StageRecord record = SdkCall.of("langchain4j", LangChain4jOperations.CHAT, StageKind.LLM, false, extractor,
                        request)
                .response(reply())
                .extract();

        assertEquals("Book a table for two.", record.inputText);
        assertEquals("text", record.input.at("/messages/0/content/0/type").asText());
        assertEquals("audio", record.input.at("/messages/0/content/1/type").asText());
    }

    /** A stream the application left early: the partial responses are the output. */
    @Test
    void interruptedStreamKeepsItsPartialText() throws Exception {
        StageRecord record = SdkCall.of("langchain4j", LangChain4jOperations.CHAT, StageKind.LLM, true, extractor,
                        toolRoundTrip(), null)
                .stream(List.of(new PartialResponse("It is 21 "), "degrees",
                        PartialToolCall.builder().index(0).id("call_2").name("get_weather")
                                .partialArguments("{\"city\":").build()))
                .extract();

        assertEquals(SdkCall.STREAM_START_NANOS, record.firstOutputEpochNanos);
        assertEquals("It is 21 degrees", record.outputText);
        assertEquals("It is 21 degrees", record.output.get("content").asText());
    }
}
