package dev.voicetrace.testapp.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VoicePipelineAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String T1 =
            "Hi, I'm planning a walk this afternoon. What's the weather like in Lisbon right now?";
    private static final String R1 = "It's sunny in Lisbon right now at about 21 degrees with a light breeze. "
            + "Perfect weather for a walk along the river!";
    private static final String T2 = "Great. Can you suggest a good place to have lunch near the river?";
    private static final String R2 = "Try the riverside cafes in Cais do Sodre, they serve grilled sardines and "
            + "fresh salads. Most of them have terraces with a view of the water.";
    private static final String T3 = "How long does it take to walk from there to Belem?";
    private static final String R3 = "It's about six kilometres, so roughly an hour and ten minutes on foot. "
            + "If you get tired, tram fifteen runs along the same route.";
    private static final String T4 = "Perfect, thank you. That's all I needed.";
    private static final String R4 = "You're welcome! Enjoy your walk and have a lovely lunch.";

    private static final List<String> EXPECTED_FOUR_TURNS = Arrays.asList(
            "turn 1 heard: " + T1,
            "turn 1 reply: " + R1,
            "turn 1 speech bytes: 23044",
            "turn 2 heard: " + T2,
            "turn 2 reply: " + R2,
            "turn 2 speech bytes: 28044",
            "turn 3 heard: " + T3,
            "turn 3 reply: " + R3,
            "turn 3 speech bytes: 25644",
            "turn 4 heard: " + T4,
            "turn 4 reply: " + R4,
            "turn 4 speech bytes: 11244",
            "pipeline done: 4 turns");

    private MockOpenAiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fourTurnsTranscribeReplyAndSpeak() throws Exception {
        server = new MockOpenAiServer(false).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "4");

        assertEquals(0, r.exitCode);
        assertEquals(EXPECTED_FOUR_TURNS, r.lines);
        // turn 1 asks twice (the tool call round trip); every call style reports its usage
        assertEquals(5, r.usageLines.size(), r.usageLines::toString);
        for (String usage : r.usageLines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "turn \\d model usage: prompt_tokens=(\\d+) cached_tokens=(\\d+) completion_tokens=(\\d+)")
                    .matcher(usage);
            assertTrue(m.matches(), usage);
            long prompt = Long.parseLong(m.group(1));
            assertEquals(prompt >= 64 ? prompt / 2 : 0, Long.parseLong(m.group(2)), "the stand-in's cached prefix");
        }
        // speech size = 44-byte WAV header + 200 bytes per character of the reply
        assertEquals(44 + 200 * R1.length(), 23044);
        assertEquals(MockOpenAiServer.speechBytesFor(R4), 11244);

        List<String> paths = new ArrayList<>();
        for (MockOpenAiServer.ReceivedRequest req : server.receivedRequests()) {
            assertEquals("POST", req.method());
            paths.add(req.path());
        }
        String stt = "/v1/audio/transcriptions";
        String chat = "/v1/chat/completions";
        String tts = "/v1/audio/speech";
        assertEquals(Arrays.asList(
                stt, chat, chat, tts, // turn 1: tool call round trip
                stt, chat, tts,
                stt, chat, tts,
                stt, chat, tts), paths);

        List<MockOpenAiServer.ReceivedRequest> chats = server.receivedRequests(chat);
        assertEquals(5, chats.size());
        for (MockOpenAiServer.ReceivedRequest req : chats) {
            assertEquals("Bearer " + expectedApiKey(), req.header("Authorization"));
            JsonNode body = JSON.readTree(req.body());
            assertEquals("gpt-4o-mini", body.path("model").asText());
            assertEquals(0.7, body.path("temperature").asDouble(), 1e-9);
            assertEquals(200, body.path("max_completion_tokens").asInt());
            JsonNode first = body.path("messages").get(0);
            assertEquals("system", first.path("role").asText());
            assertEquals(VoicePipelineApp.SYSTEM_PROMPT, first.path("content").asText());
        }
    }

    @Test
    void firstTurnAnswersTheWeatherToolCall() throws Exception {
        server = new MockOpenAiServer(false).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "1");
        assertEquals(Arrays.asList("turn 1 heard: " + T1, "turn 1 reply: " + R1,
                "turn 1 speech bytes: 23044", "pipeline done: 1 turns"), r.lines);

        List<MockOpenAiServer.ReceivedRequest> chats = server.receivedRequests("/v1/chat/completions");
        assertEquals(2, chats.size());

        JsonNode first = JSON.readTree(chats.get(0).body());
        JsonNode tool = first.path("tools").get(0);
        assertEquals("function", tool.path("type").asText());
        assertEquals("get_weather", tool.path("function").path("name").asText());
        assertEquals("object", tool.path("function").path("parameters").path("type").asText());
        assertEquals(2, first.path("messages").size());
        assertEquals(T1, first.path("messages").get(1).path("content").asText());

        JsonNode second = JSON.readTree(chats.get(1).body());
        JsonNode msgs = second.path("messages");
        assertEquals(4, msgs.size());
        assertEquals("assistant", msgs.get(2).path("role").asText());
        JsonNode call = msgs.get(2).path("tool_calls").get(0);
        assertNotNull(call);
        String callId = call.path("id").asText();
        assertTrue(callId.startsWith("call_"), callId);
        assertEquals("get_weather", call.path("function").path("name").asText());
        assertEquals(ConversationScript.WEATHER_TOOL_ARGUMENTS, call.path("function").path("arguments").asText());
        assertEquals("tool", msgs.get(3).path("role").asText());
        assertEquals(callId, msgs.get(3).path("tool_call_id").asText());
        assertEquals(ConversationScript.WEATHER_TOOL_RESULT, msgs.get(3).path("content").asText());
    }

    @Test
    void callStylesRotateAndStreamingRequestsAskForUsage() throws Exception {
        server = new MockOpenAiServer(false).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "6");
        assertEquals(EXPECTED_FOUR_TURNS.subList(0, 12), r.lines.subList(0, 12));
        assertEquals("turn 5 heard: " + ConversationScript.LINES.get(4).utterance, r.lines.get(12));
        assertEquals("turn 5 reply: " + ConversationScript.LINES.get(4).reply, r.lines.get(13));
        assertEquals("turn 6 reply: " + ConversationScript.LINES.get(5).reply, r.lines.get(16));
        assertEquals("pipeline done: 6 turns", r.lines.get(18));
        assertEquals(19, r.lines.size());

        List<MockOpenAiServer.ReceivedRequest> chats = server.receivedRequests("/v1/chat/completions");
        // turn 1 (2 calls, sync + tools), 2 sync stream, 3 async, 4 async stream, 5 sync, 6 sync stream
        assertEquals(7, chats.size());
        boolean[] streamed = {false, false, true, false, true, false, true};
        for (int i = 0; i < chats.size(); i++) {
            JsonNode body = JSON.readTree(chats.get(i).body());
            assertEquals(streamed[i], body.path("stream").asBoolean(false), "stream flag of chat call " + i);
            if (streamed[i]) {
                assertTrue(body.path("stream_options").path("include_usage").asBoolean(false),
                        "streaming chat call " + i + " must ask for usage: " + body);
            } else {
                assertTrue(body.path("stream_options").isMissingNode(), "chat call " + i);
            }
            assertEquals(i < 2, body.has("tools"), "only turn 1 offers tools (call " + i + ")");
        }

        // history grows: system + 2 per earlier turn + the new user message
        JsonNode turn4 = JSON.readTree(chats.get(4).body()).path("messages");
        assertEquals(1 + 2 * 3 + 1, turn4.size());
        assertEquals(T1, turn4.get(1).path("content").asText());
        assertEquals(R1, turn4.get(2).path("content").asText());
        assertEquals("assistant", turn4.get(6).path("role").asText());
        assertEquals(R3, turn4.get(6).path("content").asText());
        assertEquals(T4, turn4.get(7).path("content").asText());
    }

    @Test
    void transcriptionAndSpeechRequestsCarryTheExpectedParameters() throws Exception {
        server = new MockOpenAiServer(false).start();
        run("--base-url", server.baseUrl(), "--turns", "2");

        List<MockOpenAiServer.ReceivedRequest> stt = server.receivedRequests("/v1/audio/transcriptions");
        assertEquals(2, stt.size());
        for (int i = 0; i < stt.size(); i++) {
            MockOpenAiServer.ReceivedRequest req = stt.get(i);
            assertTrue(req.header("Content-Type").startsWith("multipart/form-data; boundary="));
            byte[] body = req.body();
            assertEquals("gpt-4o-transcribe", MockOpenAiServer.multipartValue(body, "model"));
            assertEquals("en", MockOpenAiServer.multipartValue(body, "language"));
            assertEquals("json", MockOpenAiServer.multipartValue(body, "response_format"));
            String text = new String(body, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("filename=\"caller-turn-" + (i + 1) + ".wav\""), "filename of upload " + i);
            assertEquals(i + 1, WavAudio.findTurnMarker(body));
            // 1 s of 16 kHz 16-bit mono audio for turn 1, 1.25 s for turn 2
            assertEquals(1.0 + 0.25 * i, WavAudio.durationSeconds(body), 1e-9);
        }

        List<MockOpenAiServer.ReceivedRequest> tts = server.receivedRequests("/v1/audio/speech");
        assertEquals(2, tts.size());
        JsonNode first = JSON.readTree(tts.get(0).body());
        assertEquals(R1, first.path("input").asText());
        assertEquals("gpt-4o-mini-tts", first.path("model").asText());
        assertEquals("wav", first.path("response_format").asText());
        assertEquals(VoicePipelineApp.TTS_VOICE, first.path("voice").asText());
        assertEquals(R2, JSON.readTree(tts.get(1).body()).path("input").asText());
    }

    @Test
    void malformedChatCompletionsFailEachTurnButThePipelineCompletes() throws Exception {
        server = new MockOpenAiServer(true).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "4");

        assertEquals(0, r.exitCode);
        assertEquals(Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 failed: OpenAIInvalidDataException",
                "turn 2 heard: " + T2,
                "turn 2 failed: OpenAIInvalidDataException",
                "turn 3 heard: " + T3,
                "turn 3 failed: OpenAIInvalidDataException",
                "turn 4 heard: " + T4,
                "turn 4 failed: OpenAIInvalidDataException",
                "pipeline done: 4 turns"), r.lines);
        // every turn got as far as the LLM call and no further
        assertEquals(4, server.receivedRequests("/v1/chat/completions").size());
        assertTrue(server.receivedRequests("/v1/audio/speech").isEmpty());
    }

    @Test
    void embeddedMockIsUsedWithoutBaseUrl() {
        AppRun r = run("--turns", "2");
        assertEquals(0, r.exitCode);
        List<String> expected = new ArrayList<>(EXPECTED_FOUR_TURNS.subList(0, 6));
        expected.add("pipeline done: 2 turns");
        assertEquals(expected, r.lines);
    }

    @Test
    void malformedFlagSwitchesTheEmbeddedMock() {
        AppRun r = run("--malformed", "--turns", "2");
        assertEquals(0, r.exitCode);
        assertEquals(Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 failed: OpenAIInvalidDataException",
                "turn 2 heard: " + T2,
                "turn 2 failed: OpenAIInvalidDataException",
                "pipeline done: 2 turns"), r.lines);
    }

    @Test
    void unknownOptionIsRejected() {
        AppRun r = run("--turns", "two");
        assertEquals(2, r.exitCode);
        assertTrue(r.lines.isEmpty());
        assertEquals(2, run("--frobnicate").exitCode);
        assertEquals(2, run("--llm-api", "assistants").exitCode);
    }

    @Test
    void connectionFailureIsReportedPerTurn() throws Exception {
        // a port nobody listens on: every turn fails in the STT call, the app still finishes
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        AppRun r = run("--base-url", "http://127.0.0.1:" + deadPort + "/v1", "--turns", "2");
        assertEquals(0, r.exitCode);
        assertEquals(3, r.lines.size());
        assertEquals("turn 1 failed: OpenAIIoException", r.lines.get(0));
        assertEquals("turn 2 failed: OpenAIIoException", r.lines.get(1));
        assertEquals("pipeline done: 2 turns", r.lines.get(2));
        assertFalse(r.lines.get(0).contains("heard"));
    }

    @Test
    void responsesApiAlternatesSyncAndStreamingWithTheConversationAsInput() throws Exception {
        server = new MockOpenAiServer(false).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "4", "--llm-api", "responses");

        assertEquals(0, r.exitCode);
        // no tool round trip in this mode: turn 1 gets the script's reply without the tool result
        String r1 = ConversationScript.LINES.get(0).reply;
        List<String> expected = new ArrayList<>(Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 reply: " + r1,
                "turn 1 speech bytes: " + MockOpenAiServer.speechBytesFor(r1)));
        expected.addAll(EXPECTED_FOUR_TURNS.subList(3, 13));
        assertEquals(expected, r.lines);
        assertTrue(server.receivedRequests("/v1/chat/completions").isEmpty());

        List<MockOpenAiServer.ReceivedRequest> calls = server.receivedRequests("/v1/responses");
        assertEquals(4, calls.size());
        String[] heard = {T1, T2, T3, T4};
        for (int i = 0; i < calls.size(); i++) {
            JsonNode body = JSON.readTree(calls.get(i).body());
            assertEquals(i % 2 == 1, body.path("stream").asBoolean(false), "stream flag of turn " + (i + 1));
            assertEquals("gpt-4o-mini", body.path("model").asText());
            assertEquals(VoicePipelineApp.SYSTEM_PROMPT, body.path("instructions").asText());
            assertEquals(0.7, body.path("temperature").asDouble(), 1e-9);
            assertEquals(200, body.path("max_output_tokens").asInt());
            assertFalse(body.has("tools"));
            // history (user, assistant per earlier turn) plus the new transcript as the last user item
            JsonNode input = body.path("input");
            assertEquals(2 * i + 1, input.size());
            for (int j = 0; j < input.size(); j++) {
                assertEquals(j % 2 == 0 ? "user" : "assistant", input.get(j).path("role").asText());
            }
            assertEquals(heard[i], input.get(2 * i).path("content").asText());
        }
        JsonNode turn4 = JSON.readTree(calls.get(3).body()).path("input");
        assertEquals(r1, turn4.get(1).path("content").asText());
        assertEquals(R3, turn4.get(5).path("content").asText());
    }

    @Test
    void streamingTranscriptionHearsTheSameUtterances() throws Exception {
        server = new MockOpenAiServer(false).start();
        AppRun r = run("--base-url", server.baseUrl(), "--turns", "2", "--stt-streaming");

        assertEquals(0, r.exitCode);
        List<String> expected = new ArrayList<>(EXPECTED_FOUR_TURNS.subList(0, 6));
        expected.add("pipeline done: 2 turns");
        assertEquals(expected, r.lines);

        List<MockOpenAiServer.ReceivedRequest> stt = server.receivedRequests("/v1/audio/transcriptions");
        assertEquals(2, stt.size());
        for (MockOpenAiServer.ReceivedRequest req : stt) {
            assertEquals("true", MockOpenAiServer.multipartValue(req.body(), "stream"));
            assertEquals("gpt-4o-transcribe", MockOpenAiServer.multipartValue(req.body(), "model"));
            assertEquals("text/event-stream", req.header("Accept"));
        }
    }

    @Test
    void responsesApiAndStreamingTranscriptionCombine() {
        AppRun r = run("--turns", "2", "--llm-api", "responses", "--stt-streaming");
        assertEquals(0, r.exitCode);
        String r1 = ConversationScript.LINES.get(0).reply;
        List<String> expected = new ArrayList<>(Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 reply: " + r1,
                "turn 1 speech bytes: " + MockOpenAiServer.speechBytesFor(r1)));
        expected.addAll(EXPECTED_FOUR_TURNS.subList(3, 6));
        expected.add("pipeline done: 2 turns");
        assertEquals(expected, r.lines);
    }

    @Test
    void failLlmAnswers400AndEveryTurnFailsOnceWithoutRetries() throws Exception {
        server = new MockOpenAiServer(false, true).start();
        List<String> expected = Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 failed: BadRequestException",
                "turn 2 heard: " + T2,
                "turn 2 failed: BadRequestException",
                "pipeline done: 2 turns");

        AppRun chat = run("--base-url", server.baseUrl(), "--turns", "2");
        assertEquals(0, chat.exitCode);
        assertEquals(expected, chat.lines);
        // 400 is not retried: one request per turn
        assertEquals(2, server.receivedRequests("/v1/chat/completions").size());

        AppRun responses = run("--base-url", server.baseUrl(), "--turns", "2", "--llm-api", "responses");
        assertEquals(expected, responses.lines);
        List<MockOpenAiServer.ReceivedRequest> calls = server.receivedRequests("/v1/responses");
        assertEquals(2, calls.size());
        assertTrue(JSON.readTree(calls.get(1).body()).path("stream").asBoolean(false), "turn 2 streams");
        assertTrue(server.receivedRequests("/v1/audio/speech").isEmpty());
    }

    @Test
    void failLlmFlagSwitchesTheEmbeddedMock() {
        AppRun r = run("--fail-llm", "--turns", "1");
        assertEquals(0, r.exitCode);
        assertEquals(Arrays.asList(
                "turn 1 heard: " + T1,
                "turn 1 failed: BadRequestException",
                "pipeline done: 1 turns"), r.lines);
    }

    private static String expectedApiKey() {
        String env = System.getenv("OPENAI_API_KEY");
        return env == null || env.isEmpty() ? VoicePipelineApp.FAKE_API_KEY : env;
    }

    private static AppRun run(String... args) {
        return AppRun.of(args);
    }
}
