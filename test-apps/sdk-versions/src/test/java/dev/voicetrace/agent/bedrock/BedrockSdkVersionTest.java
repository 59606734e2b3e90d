package dev.voicetrace.agent.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.voicetrace.agent.matrix.Fixtures;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** The AWS SDK's own Bedrock Runtime model objects, read by the agent's extractor. */
class BedrockSdkVersionTest {

    private final BedrockExtractor extractor = new BedrockExtractor();

    private static ToolUseBlock weatherLookup() {
        return ToolUseBlock.builder()
                .toolUseId("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q")
                .name("get_weather")
                .input(Document.mapBuilder().putString("city", "Seattle").build())
                .build();
    }

    @Test
    void converse() throws Exception {
        ConverseRequest request = ConverseRequest.builder()
                .modelId("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .system(SystemContentBlock.fromText("You are a concise airport voice assistant."))
                .messages(Message.builder().role(ConversationRole.USER)
                                .content(ContentBlock.fromText("What's the weather at my destination, Seattle?")).build(),
                        Message.builder().role(ConversationRole.ASSISTANT)
                                .content(ContentBlock.fromText("Let me check the weather for you."),
                                        ContentBlock.fromToolUse(weatherLookup())).build())
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(300).temperature(0.5f).topP(0.9f).build())
                .toolConfig(ToolConfiguration.builder().tools(Tool.fromToolSpec(ToolSpecification.builder()
                        .name("get_weather")
                        .description("Current weather for a city")
                        .inputSchema(ToolInputSchema.fromJson(Document.fromMap(Map.of(
                                "type", Document.fromString("object")))))
                        .build())).build())
                .build();
        ConverseResponse response = ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                        .content(ContentBlock.fromText("Let me check the weather for you."),
                                ContentBlock.fromToolUse(weatherLookup()))
                        .build()))
                .stopReason(StopReason.TOOL_USE)
                .usage(TokenUsage.builder().inputTokens(412).outputTokens(58).totalTokens(470).build())
                .metrics(ConverseMetrics.builder().latencyMs(612L).build())
                .build();
        StageRecord record = SdkCall.of("bedrock", BedrockOperations.CONVERSE, StageKind.LLM, false, extractor, request)
                .response(response)
                .extract();

        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0", record.model);
        assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", record.metadata.get("model_id"));
        assertEquals(300, ((Number) record.modelParameters.get("maxTokens")).intValue());
        assertEquals(0.5, ((Number) record.modelParameters.get("temperature")).doubleValue(), 1e-6);
        assertEquals("system", record.input.at("/messages/0/role").asText());
        assertEquals("get_weather", record.input.at("/messages/2/content/1/toolUse/name").asText());
        assertEquals("Seattle", record.input.at("/messages/2/content/1/toolUse/input/city").asText());
        assertEquals("get_weather", record.input.at("/toolConfig/tools/0/toolSpec/name").asText());
        assertEquals("What's the weather at my destination, Seattle?", record.inputText);
        assertEquals("Let me check the weather for you.", record.outputText);
        assertEquals("Seattle", record.output.at("/content/1/toolUse/input/city").asText());
        assertEquals("tool_use", record.metadata.get("finish_reason"));
        assertEquals("612", record.metadata.get("latency_ms"));
        assertEquals(412L, record.usage.get("input"));
        assertEquals(58L, record.usage.get("output"));
        assertEquals(470L, record.usage.get("total"));
    }

    @Test
    void invokeModelWithAnAnthropicBody() throws Exception {
        InvokeModelRequest request = InvokeModelRequest.builder()
                .modelId("us.anthropic.claude-haiku-4-5-20251001-v1:0")
                .contentType("application/json")
                .body(SdkBytes.fromUtf8String(Fixtures.text("/bedrock/invoke-anthropic-request.json")))
                .build();
        InvokeModelResponse response = InvokeModelResponse.builder()
                .contentType("application/json")
                .body(SdkBytes.fromUtf8String(Fixtures.text("/bedrock/invoke-anthropic-response.json")))
                .build();
        StageRecord record = SdkCall.of("bedrock", BedrockOperations.INVOKE_MODEL, StageKind.LLM, false, extractor, request)
                .response(response)
                .extract();

        assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", record.model);
        assertEquals("claude-haiku-4-5-20251001", record.metadata.get("response_model"));
        assertEquals(200, ((Number) record.modelParameters.get("max_tokens")).intValue());
        assertEquals("Is seat 14C an aisle seat?", record.inputText);
        assertEquals("Your seat 14C is an aisle seat.", record.outputText);
        assertEquals("end_turn", record.metadata.get("finish_reason"));
        assertEquals(40L, record.usage.get("total"));
    }
}
