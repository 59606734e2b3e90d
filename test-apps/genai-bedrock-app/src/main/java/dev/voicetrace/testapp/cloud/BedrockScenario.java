package dev.voicetrace.testapp.cloud;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Calls through the real AWS SDK v2 Bedrock Runtime clients: converse (sync), a tool call,
 * converseStream (async, with a visitor), invokeModel with an Anthropic body (sync) and an Amazon
 * Nova body (async), and converse through the async client's builder overload.
 */
final class BedrockScenario {

    static final String ACCESS_KEY_ID = "AKIAVOICETRACEDEMO01";
    static final String SECRET_KEY = "demo-aws-secret-9f3b27c4d1e8";
    static final String CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String NOVA = "amazon.nova-lite-v1:0";

    private BedrockScenario() {}

    static void run(String endpoint) throws Exception {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_KEY));
        SystemContentBlock system = SystemContentBlock.fromText("You are a concise airport voice assistant.");
        InferenceConfiguration inference = InferenceConfiguration.builder().maxTokens(300).temperature(0.5f)
                .topP(0.9f).build();
        try (BedrockRuntimeClient client = BedrockRuntimeClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
             BedrockRuntimeAsyncClient async = BedrockRuntimeAsyncClient.builder().region(Region.US_EAST_1)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build()) {

            ConverseResponse hello = client.converse(request -> request.modelId(CLAUDE).system(system)
                    .inferenceConfig(inference)
                    .messages(user("Hi, where does my flight to Seattle board?")));
            System.out.println("bedrock converse: " + hello.output().message().content().get(0).text());

            toolCall(client, system);

            StringBuilder streamed = new StringBuilder();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(delta -> streamed.append(delta.delta().text()))
                            .build())
                    .build();
            async.converseStream(ConverseStreamRequest.builder().modelId(CLAUDE).system(system)
                    .inferenceConfig(inference).messages(user("When does boarding start?")).build(), handler).join();
            System.out.println("bedrock stream: " + streamed);

            InvokeModelResponse anthropic = client.invokeModel(request -> request.modelId(CLAUDE)
                    .contentType("application/json").accept("application/json")
                    .body(SdkBytes.fromUtf8String("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
                            + "\"system\":\"You are a concise airport voice assistant.\",\"messages\":[{\"role\":"
                            + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Is seat 14C an aisle seat?\"}]}]}")));
            System.out.println("bedrock invoke anthropic: " + text(anthropic, "content"));

            CompletableFuture<InvokeModelResponse> nova = async.invokeModel(request -> request.modelId(NOVA)
                    .body(SdkBytes.fromUtf8String("{\"schemaVersion\":\"messages-v1\",\"system\":[{\"text\":"
                            + "\"You are a concise airport voice assistant.\"}],\"messages\":[{\"role\":\"user\","
                            + "\"content\":[{\"text\":\"Where is the lounge?\"}]}],\"inferenceConfig\":"
                            + "{\"maxTokens\":120,\"temperature\":0.3}}")));
            System.out.println("bedrock invoke nova: " + text(nova.join(), "output"));

            ConverseResponse asyncHello = async.converse(request -> request.modelId(NOVA)
                    .messages(user("Hi, where does my flight to Seattle board?"))).join();
            System.out.println("bedrock async converse: " + asyncHello.output().message().content().get(0).text());

            try {
                client.converse(request -> request.modelId("anthropic.claude-unknown-v1:0")
                        .messages(user("Hello?")));
            } catch (ValidationException e) {
                System.out.println("bedrock error: " + e.statusCode() + " " + e.awsErrorDetails().errorCode());
            }
        }
    }

    private static void toolCall(BedrockRuntimeClient client, SystemContentBlock system) {
        Document schema = Document.mapBuilder().putString("type", "object")
                .putDocument("properties", Document.mapBuilder()
                        .putDocument("city", Document.mapBuilder().putString("type", "string").build()).build())
                .putList("required", list -> list.addString("city")).build();
        ToolConfiguration tools = ToolConfiguration.builder().tools(Tool.fromToolSpec(ToolSpecification.builder()
                .name("get_weather").description("Current weather for a city")
                .inputSchema(ToolInputSchema.fromJson(schema)).build())).build();
        Message question = user("What's the weather at my destination, Seattle?");
        ConverseResponse first = client.converse(request -> request.modelId(CLAUDE).system(system)
                .toolConfig(tools).messages(question));
        ToolUseBlock toolUse = first.output().message().content().get(1).toolUse();
        System.out.println("bedrock tool call: " + toolUse.name() + " " + toolUse.input());
        Message result = Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(
                ToolResultBlock.builder().toolUseId(toolUse.toolUseId()).content(ToolResultContentBlock.fromJson(
                        Document.fromMap(Map.of("temperature", Document.fromNumber(12),
                                "condition", Document.fromString("rain"))))).build())).build();
        ConverseResponse second = client.converse(request -> request.modelId(CLAUDE).system(system)
                .toolConfig(tools).messages(question, first.output().message(), result));
        System.out.println("bedrock tool answer: " + second.output().message().content().get(0).text());
    }

    private static Message user(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    /** The first text of a provider body's content (Anthropic) or output message (Nova). */
    private static String text(InvokeModelResponse response, String shape) throws Exception {
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body().asByteArray());
        return "content".equals(shape) ? body.path("content").path(0).path("text").asText()
                : body.path("output").path("message").path("content").path(0).path("text").asText();
    }
}
