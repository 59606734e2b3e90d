package dev.voicetrace.testapp.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's {@code --llm-provider anthropic} mode and the mock's {@code POST /v1/messages}: the
 * real anthropic-java client parses (with strict response validation) what the mock sends.
 */
@Timeout(60)
class AnthropicLlmProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConversationScript.Line LINE1 = ConversationScript.LINES.get(0);
    private static final ConversationScript.Line LINE2 = ConversationScript.LINES.get(1);

    private MockOpenAiServer server;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockOpenAiServer(false).start();
        client = AnthropicOkHttpClient.builder()
                .apiKey("sk-ant-test-mock")
                .baseUrl("http://127.0.0.1:" + server.port())
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    // ---------------------------------------------------------------- the demo in anthropic mode

    @Test
    void anthropicModePrintsTheSameConversationAsTheDefault() throws Exception {
        AppRun anthropic = run("--base-url", server.baseUrl(), "--turns", "4", "--llm-provider", "anthropic");
        server.close();
        server = new MockOpenAiServer(false).start();
        AppRun openai = run("--base-url", server.baseUrl(), "--turns", "4");

        assertEquals(0, anthropic.exitCode);
        assertEquals(openai.lines, anthropic.lines, "replies come from the same script");
        assertEquals(13, anthropic.lines.size());
        assertEquals("turn 1 reply: " + LINE1.replyAfterTool, anthropic.lines.get(1));
        assertEquals("pipeline done: 4 turns", anthropic.lines.get(12));
    }

    @Test
    void onlyTheLlmStageGoesToAnthropicWithItsHeadersAndCallStyles() throws Exception {
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "4", "--llm-provider", "anthropic");
        assertEquals(0, r.exitCode);

        assertEquals(0, server.receivedRequests("/v1/chat/completions").size());
        assertEquals(0, server.receivedRequests("/v1/responses").size());
        assertEquals(4, server.receivedRequests("/v1/audio/transcriptions").size());
        assertEquals(4, server.receivedRequests("/v1/audio/speech").size());
        List<MockOpenAiServer.ReceivedRequest> messages = server.receivedRequests("/v1/messages");
        assertEquals(5, messages.size(), "turn 1 asks twice (tool round trip), then once per turn");

        List<Boolean> streamed = new ArrayList<>();
        for (MockOpenAiServer.ReceivedRequest request : messages) {
            // anthropic-java 3.x sends the API key as a bearer token
            assertEquals("Bearer " + VoicePipelineApp.FAKE_ANTHROPIC_API_KEY, request.header("authorization"));
            assertTrue(request.header("anthropic-version") != null, "anthropic-version header");
            JsonNode body = JSON.readTree(request.body());
            assertEquals(VoicePipelineApp.ANTHROPIC_MODEL, body.path("model").asText());
            assertEquals(200, body.path("max_tokens").asInt());
            assertEquals(VoicePipelineApp.SYSTEM_PROMPT, body.path("system").asText());
            streamed.add(body.path("stream").asBoolean(false));
        }
        assertEquals(Arrays.asList(false, false, true, false, true), streamed,
                "turn 1 create twice, then createStreaming on even turns and create on odd ones");

        JsonNode turn3 = JSON.readTree(messages.get(3).body()).path("messages");
        assertEquals(5, turn3.size(), "two earlier turns of history plus the new utterance");
        assertEquals("assistant", turn3.get(1).path("role").asText());
        assertEquals(LINE1.replyAfterTool, turn3.get(1).path("content").asText());
        assertEquals(ConversationScript.LINES.get(2).utterance, turn3.get(4).path("content").asText());
    }

    @Test
    void turnOneAnswersTheToolUseWithAToolResult() throws Exception {
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "1", "--llm-provider", "anthropic");
        assertEquals(Arrays.asList("turn 1 heard: " + LINE1.utterance, "turn 1 reply: " + LINE1.replyAfterTool,
                "turn 1 speech bytes: " + MockOpenAiServer.speechBytesFor(LINE1.replyAfterTool),
                "pipeline done: 1 turns"), r.lines);

        List<MockOpenAiServer.ReceivedRequest> messages = server.receivedRequests("/v1/messages");
        assertEquals(2, messages.size());
        JsonNode first = JSON.readTree(messages.get(0).body());
        JsonNode tool = first.path("tools").get(0);
        assertEquals("get_weather", tool.path("name").asText());
        assertEquals("object", tool.path("input_schema").path("type").asText());
        assertEquals("[\"city\",\"unit\"]", tool.path("input_schema").path("required").toString());
        assertEquals(1, first.path("messages").size());

        JsonNode conversation = JSON.readTree(messages.get(1).body()).path("messages");
        assertEquals(3, conversation.size());
        JsonNode assistant = conversation.get(1);
        assertEquals("assistant", assistant.path("role").asText());
        assertEquals("text", assistant.path("content").get(0).path("type").asText());
        JsonNode toolUse = assistant.path("content").get(1);
        assertEquals("tool_use", toolUse.path("type").asText());
        assertTrue(toolUse.path("id").asText().startsWith("toolu_01"), toolUse.toString());
        assertEquals(ConversationScript.WEATHER_TOOL_ARGUMENTS, toolUse.path("input").toString());
        JsonNode toolResult = conversation.get(2).path("content").get(0);
        assertEquals("user", conversation.get(2).path("role").asText());
        assertEquals("tool_result", toolResult.path("type").asText());
        assertEquals(toolUse.path("id").asText(), toolResult.path("tool_use_id").asText());
        assertEquals(ConversationScript.WEATHER_TOOL_RESULT, toolResult.path("content").asText());
    }

    @Test
    void theEmbeddedMockServesBothProviders() {
        AppRun r = run("--turns", "2", "--llm-provider", "anthropic");
        assertEquals(0, r.exitCode);
        assertEquals("turn 2 reply: " + LINE2.reply, r.lines.get(4));
    }

    @Test
    void anUnknownProviderIsABadOption() {
        assertEquals(2, run("--llm-provider", "cohere").exitCode);
        assertEquals(2, run("--llm-provider").exitCode);
    }

    // ---------------------------------------------------------------- the mock's /v1/messages

    private static MessageCreateParams.Builder params(String userText) {
        return MessageCreateParams.builder()
                .model("claude-haiku-4-5")
                .maxTokens(100L)
                .system("be brief")
                .addUserMessage(userText);
    }

    @Test
    void messageIsRealisticAndValid() {
        Message message = client.messages().create(params(LINE2.utterance).build());
        assertTrue(message.id().startsWith("msg_01"), message.id());
        assertEquals("claude-haiku-4-5-20251001", message.model().asString());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertEquals(1, message.content().size());
        assertEquals(LINE2.reply, message.content().get(0).asText().text());
        assertTrue(message.usage().inputTokens() > 0);
        assertEquals(MockOpenAiServer.estimateTokens(LINE2.reply), message.usage().outputTokens());
        assertEquals(0L, message.usage().cacheReadInputTokens().orElseThrow());
        assertEquals(0L, message.usage().cacheCreationInputTokens().orElseThrow());
    }

    @Test
    void streamIsTheRealEventSequenceWithEventLines() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,"
                        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                        + JSON.writeValueAsString(LINE2.utterance) + "}]}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String frame : response.body().split("\n\n")) {
            String[] lines = frame.split("\n");
            assertEquals(2, lines.length, frame);
            assertTrue(lines[0].startsWith("event: "), frame);
            JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
            assertEquals(lines[0].substring("event: ".length()), data.path("type").asText());
            types.add(data.path("type").asText());
            if ("content_block_delta".equals(data.path("type").asText())) {
                text.append(data.path("delta").path("text").asText());
            }
            if ("message_start".equals(data.path("type").asText())) {
                assertEquals(1, data.path("message").path("usage").path("output_tokens").asInt());
                assertTrue(data.path("message").path("stop_reason").isNull());
            }
            if ("message_delta".equals(data.path("type").asText())) {
                assertEquals("end_turn", data.path("delta").path("stop_reason").asText());
            }
        }
        int words = LINE2.reply.split(" ").length;
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        for (int i = 0; i < words; i++) {
            expected.add("content_block_delta");
        }
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, types);
        assertEquals(LINE2.reply, text.toString());
    }

    @Test
    void streamedToolUseIsReassembledFromInputJsonDeltasBySdkEvents() {
        MessageCreateParams request = params(LINE1.utterance)
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder().build()).build())
                .build();
        StringBuilder arguments = new StringBuilder();
        List<String> toolNames = new ArrayList<>();
        List<String> stopReasons = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(request)) {
            stream.stream().forEach(event -> {
                event.contentBlockStart().ifPresent(start -> start.contentBlock().toolUse()
                        .ifPresent(toolUse -> toolNames.add(toolUse.name())));
                event.contentBlockDelta().flatMap(delta -> delta.delta().inputJson())
                        .ifPresent(json -> arguments.append(json.partialJson()));
                event.messageDelta().flatMap(delta -> delta.delta().stopReason())
                        .ifPresent(reason -> stopReasons.add(reason.asString()));
            });
        }
        assertEquals(List.of("get_weather"), toolNames);
        assertEquals(ConversationScript.WEATHER_TOOL_ARGUMENTS, arguments.toString());
        assertEquals(List.of("tool_use"), stopReasons);
    }

    @Test
    void aToolResultGetsTheReplyAfterTheTool() {
        Message first = client.messages().create(params(LINE1.utterance)
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder().build()).build())
                .build());
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        List<String> types = first.content().stream()
                .map(block -> block.isText() ? "text" : block.isToolUse() ? "tool_use" : "other")
                .collect(Collectors.toList());
        assertEquals(List.of("text", "tool_use"), types);
        assertEquals(LINE1.reply, first.content().get(0).asText().text());
        ContentBlock toolUse = first.content().get(1);
        assertEquals("get_weather", toolUse.asToolUse().name());
        assertTrue(toolUse.asToolUse().id().startsWith("toolu_01"));
        assertEquals(java.util.Map.of("city", "Lisbon", "unit", "celsius"),
                toolUse.asToolUse()._input().convert(java.util.Map.class));
    }

    @Test
    void aRequestWithoutMaxTokensIsAnAnthropicStyle400() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.messages().create(
                MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(1L).addUserMessage("hi")
                        .putAdditionalBodyProperty("max_tokens", com.anthropic.core.JsonValue.from("many"))
                        .build()));
        assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
        assertFalse(server.receivedRequests("/v1/messages").isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static AppRun run(String... args) {
        return AppRun.of(args);
    }
}
