package dev.voicetrace.testapp.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.ChatModel;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.audio.transcriptions.TranscriptionTextDoneEvent;
import com.openai.models.audio.translations.TranslationCreateParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.ModelRetrieveParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCompletedEvent;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks that the mock's payloads are ones the real SDK parses and validates (strictly). */
@Timeout(60)
class MockOpenAiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConversationScript.Line LINE2 = ConversationScript.LINES.get(1);

    private MockOpenAiServer server;
    private OpenAIClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockOpenAiServer(false).start();
        client = client(server, false);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static OpenAIClient client(MockOpenAiServer s, boolean validate) {
        return OpenAIOkHttpClient.builder()
                .apiKey("sk-test-mock")
                .baseUrl(s.baseUrl())
                .responseValidation(validate)
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams.Builder chat(String userText) {
        return ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .addSystemMessage("be brief")
                .addUserMessage(userText);
    }

    @Test
    void baseUrlIsLoopbackV1() {
        assertEquals("http://127.0.0.1:" + server.port() + "/v1", server.baseUrl());
        assertTrue(server.port() > 0);
    }

    @Test
    void chatCompletionIsRealisticAndValid() {
        ChatCompletion c = client.chat().completions().create(chat(LINE2.utterance).build()).validate();
        assertTrue(c.id().startsWith("chatcmpl-") && c.id().length() == "chatcmpl-".length() + 29, c.id());
        assertEquals("gpt-4o-mini-2024-07-18", c.model());
        assertEquals("fp_34a54ae93c", c.systemFingerprint().orElseThrow());
        assertTrue(c.created() > 1_700_000_000L);
        assertEquals(1, c.choices().size());
        ChatCompletion.Choice choice = c.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
        assertEquals(LINE2.reply, choice.message().content().orElseThrow());
        assertFalse(choice.message().refusal().isPresent());
        assertTrue(choice.message().annotations().orElseThrow().isEmpty());

        CompletionUsage u = c.usage().orElseThrow();
        assertTrue(u.promptTokens() > 0);
        assertEquals(MockOpenAiServer.estimateTokens(LINE2.reply), u.completionTokens());
        assertEquals(u.promptTokens() + u.completionTokens(), u.totalTokens());
        assertEquals(0L, u.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
        assertEquals(0L, u.promptTokensDetails().orElseThrow().audioTokens().orElseThrow());
        assertEquals(0L, u.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
    }

    @Test
    void unscriptedInputGetsDeterministicFallbackReply() {
        ChatCompletion a = client.chat().completions().create(chat("What time is it?").build());
        ChatCompletion b = client.chat().completions().create(chat("What time is it?").build());
        String reply = a.choices().get(0).message().content().orElseThrow();
        assertEquals("I heard you say \"What time is it?\". How else can I help you today?", reply);
        assertEquals(reply, b.choices().get(0).message().content().orElseThrow());
    }

    @Test
    void streamingSendsRoleChunkWordDeltasStopAndUsage() {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                chat(LINE2.utterance)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            chunks = s.stream().map(ChatCompletionChunk::validate).collect(Collectors.toList());
        }
        int pieces = MockOpenAiServer.splitIntoPieces(LINE2.reply).size();
        assertTrue(pieces > 10);
        // role chunk + one per word piece + finish chunk + usage chunk
        assertEquals(1 + pieces + 1 + 1, chunks.size());

        ChatCompletionChunk first = chunks.get(0);
        assertEquals(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT,
                first.choices().get(0).delta().role().orElseThrow());
        assertEquals("", first.choices().get(0).delta().content().orElseThrow());

        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk c : chunks) {
            assertEquals(first.id(), c.id());
            assertEquals("gpt-4o-mini-2024-07-18", c.model());
            for (ChatCompletionChunk.Choice ch : c.choices()) {
                ch.delta().content().ifPresent(text::append);
            }
        }
        assertEquals(LINE2.reply, text.toString());

        ChatCompletionChunk stop = chunks.get(chunks.size() - 2);
        assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP,
                stop.choices().get(0).finishReason().orElseThrow());
        assertFalse(stop.usage().isPresent());

        ChatCompletionChunk usage = chunks.get(chunks.size() - 1);
        assertTrue(usage.choices().isEmpty());
        assertEquals(MockOpenAiServer.estimateTokens(LINE2.reply), usage.usage().orElseThrow().completionTokens());
    }

    @Test
    void streamingWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s =
                     client.chat().completions().createStreaming(chat(LINE2.utterance).build())) {
            chunks = s.stream().collect(Collectors.toList());
        }
        assertFalse(chunks.get(chunks.size() - 1).choices().isEmpty());
        for (ChatCompletionChunk c : chunks) {
            assertFalse(c.usage().isPresent());
        }
        JsonNode req = JSON.readTree(server.receivedRequests().get(0).body());
        assertTrue(req.path("stream").asBoolean());
    }

    @Test
    void streamedChunksArriveSpreadOverTime() throws Exception {
        // the raw SSE stream, as an HTTP client sees it: data lines ending with [DONE]
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(LINE2.utterance) + "}]}";
        long start = System.nanoTime();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> resp = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<String> data = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        resp.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
            data.add(l.substring(6));
            arrival.add(System.nanoTime() - start);
        });
        assertEquals("[DONE]", data.get(data.size() - 1));
        JsonNode usageChunk = JSON.readTree(data.get(data.size() - 2));
        assertEquals("chat.completion.chunk", usageChunk.path("object").asText());
        assertEquals(0, usageChunk.path("choices").size());
        assertTrue(usageChunk.path("usage").path("total_tokens").asInt() > 0);
        assertTrue(JSON.readTree(data.get(1)).path("usage").isNull(), "chunks carry usage:null with include_usage");
        // last chunk arrives well after the first one (pauses between chunks)
        assertTrue(arrival.get(arrival.size() - 1) - arrival.get(0) >= 20_000_000L,
                "stream should take time: " + arrival);
    }

    @Test
    void toolsGetAToolCallUntilTheToolResultIsThere() {
        ChatCompletionCreateParams.Builder params = chat(ConversationScript.LINES.get(0).utterance)
                .addFunctionTool(com.openai.models.FunctionDefinition.builder().name("get_weather").build());
        ChatCompletion first = client.chat().completions().create(params.build()).validate();
        ChatCompletion.Choice choice = first.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        assertFalse(choice.message().content().isPresent());
        var call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertTrue(call.id().startsWith("call_"));
        assertEquals("get_weather", call.function().name());
        assertEquals(ConversationScript.WEATHER_TOOL_ARGUMENTS, call.function().arguments());

        params.addMessage(choice.message());
        params.addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                .toolCallId(call.id()).content(ConversationScript.WEATHER_TOOL_RESULT).build());
        ChatCompletion second = client.chat().completions().create(params.build()).validate();
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, second.choices().get(0).finishReason());
        assertEquals(ConversationScript.LINES.get(0).replyAfterTool,
                second.choices().get(0).message().content().orElseThrow());
    }

    @Test
    void streamedToolCallIsReassembledBySdkChunks() {
        ChatCompletionCreateParams params = chat(ConversationScript.LINES.get(0).utterance)
                .addFunctionTool(com.openai.models.FunctionDefinition.builder().name("get_weather").build())
                .build();
        StringBuilder args = new StringBuilder();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            chunks = s.stream().map(ChatCompletionChunk::validate).collect(Collectors.toList());
        }
        for (ChatCompletionChunk c : chunks) {
            c.choices().get(0).delta().toolCalls().ifPresent(calls ->
                    calls.get(0).function().flatMap(f -> f.arguments()).ifPresent(args::append));
        }
        assertEquals(ConversationScript.WEATHER_TOOL_ARGUMENTS, args.toString());
        assertEquals("get_weather", chunks.get(0).choices().get(0).delta().toolCalls().orElseThrow().get(0)
                .function().orElseThrow().name().orElseThrow());
        assertEquals(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS,
                chunks.get(chunks.size() - 1).choices().get(0).finishReason().orElseThrow());
    }

    @Test
    void responsesApiReturnsAValidResponseObject() {
        Response r = client.responses().create(ResponseCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .instructions("be brief")
                .input(LINE2.utterance)
                .maxOutputTokens(100L)
                .build()).validate();
        assertTrue(r.id().startsWith("resp_"));
        // ResponsesModel is a union: a known dated chat model id deserialises as ChatModel, not as String
        assertEquals(ChatModel.GPT_4O_MINI_2024_07_18, r.model().asChat());
        assertEquals(1, r.output().size());
        var message = r.output().get(0).asMessage();
        assertTrue(message.id().startsWith("msg_"));
        assertEquals(LINE2.reply, message.content().get(0).asOutputText().text());
        assertEquals(100L, r.maxOutputTokens().orElseThrow());
        ResponseUsage u = r.usage().orElseThrow();
        assertTrue(u.inputTokens() > 0);
        assertEquals(MockOpenAiServer.estimateTokens(LINE2.reply), u.outputTokens());
        assertEquals(u.inputTokens() + u.outputTokens(), u.totalTokens());
        assertEquals(0L, u.inputTokensDetails().cachedTokens());
        assertEquals(0L, u.inputTokensDetails().cacheWriteTokens());
        assertEquals(0L, u.outputTokensDetails().reasoningTokens());
    }

    @Test
    void streamedResponseIsTheRealEventSequence() throws Exception {
        ResponseCreateParams params = ResponseCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .instructions("be brief")
                .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                        .role(EasyInputMessage.Role.USER).content(LINE2.utterance).build())))
                .build();
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
            events = s.stream().map(ResponseStreamEvent::validate).collect(Collectors.toList());
        }
        int deltas = MockOpenAiServer.splitIntoPieces(LINE2.reply).size();
        int n = events.size();
        assertEquals(4 + deltas + 4, n);
        assertTrue(events.get(0).isCreated());
        assertTrue(events.get(1).isInProgress());
        assertTrue(events.get(2).isOutputItemAdded());
        assertTrue(events.get(3).isContentPartAdded());
        StringBuilder text = new StringBuilder();
        for (ResponseStreamEvent e : events.subList(4, 4 + deltas)) {
            text.append(e.asOutputTextDelta().delta());
        }
        assertEquals(LINE2.reply, text.toString());
        assertEquals(LINE2.reply, events.get(n - 4).asOutputTextDone().text());
        assertTrue(events.get(n - 3).isContentPartDone());
        assertTrue(events.get(n - 2).isOutputItemDone());
        assertEquals(0L, events.get(0).asCreated().sequenceNumber());
        assertEquals(ResponseStatus.IN_PROGRESS, events.get(0).asCreated().response().status().orElseThrow());
        assertTrue(events.get(0).asCreated().response().usage().isEmpty());

        ResponseCompletedEvent done = events.get(events.size() - 1).asCompleted();
        assertEquals(events.size() - 1, done.sequenceNumber());
        Response r = done.response();
        assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());
        assertEquals(LINE2.reply, r.output().get(0).asMessage().content().get(0).asOutputText().text());
        ResponseUsage u = r.usage().orElseThrow();
        assertEquals(MockOpenAiServer.estimateTokens(LINE2.reply), u.outputTokens());
        assertEquals(u.inputTokens() + u.outputTokens(), u.totalTokens());

        // on the wire: an event line naming each data line's type
        java.net.http.HttpResponse<String> raw = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/responses"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                                + "\"input\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("text/event-stream; charset=utf-8", raw.headers().firstValue("content-type").orElseThrow());
        List<String> types = new ArrayList<>();
        String[] blocks = raw.body().split("\n\n");
        for (int i = 0; i < blocks.length; i++) {
            String[] lines = blocks[i].split("\n");
            assertEquals(2, lines.length, blocks[i]);
            String type = lines[0].substring("event: ".length());
            JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
            assertEquals(type, data.path("type").asText());
            assertEquals(i, data.path("sequence_number").asInt());
            types.add(type);
        }
        List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added"));
        int words = MockOpenAiServer.splitIntoPieces(ConversationScript.fallbackReply("hello")).size();
        expected.addAll(java.util.Collections.nCopies(words, "response.output_text.delta"));
        expected.addAll(List.of("response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed"));
        assertEquals(expected, types);
    }

    @Test
    void streamedTranscriptionSendsDeltasThenTheTextWithUsage() {
        byte[] audio = WavAudio.callerAudio(3); // 1.5 s, tagged turn 3
        String utterance = ConversationScript.LINES.get(2).utterance;
        List<TranscriptionStreamEvent> events;
        try (StreamResponse<TranscriptionStreamEvent> s = client.audio().transcriptions().createStreaming(
                TranscriptionCreateParams.builder().file(audio).model(AudioModel.GPT_4O_TRANSCRIBE).build())) {
            events = s.stream().map(TranscriptionStreamEvent::validate).collect(Collectors.toList());
        }
        assertEquals(MockOpenAiServer.splitIntoPieces(utterance).size() + 1, events.size());
        StringBuilder deltas = new StringBuilder();
        for (TranscriptionStreamEvent e : events.subList(0, events.size() - 1)) {
            deltas.append(e.asTranscriptTextDelta().delta());
        }
        assertEquals(utterance, deltas.toString());
        TranscriptionTextDoneEvent done = events.get(events.size() - 1).asTranscriptTextDone();
        assertEquals(utterance, done.text());
        TranscriptionTextDoneEvent.Usage usage = done.usage().orElseThrow();
        assertEquals(15L, usage.inputTokens());
        assertEquals(15L, usage.inputTokenDetails().orElseThrow().audioTokens().orElseThrow());
        assertEquals(usage.inputTokens() + usage.outputTokens(), usage.totalTokens());
        assertEquals("true", MockOpenAiServer.multipartValue(server.receivedRequests().get(0).body(), "stream"));
    }

    @Test
    void transcriptionUsageMatchesTheModel() {
        byte[] audio = WavAudio.callerAudio(3); // 1.5 s, tagged turn 3
        Transcription gpt = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(audio).model(AudioModel.GPT_4O_TRANSCRIBE).responseFormat(AudioResponseFormat.JSON)
                .build()).validate().asTranscription();
        assertEquals(ConversationScript.LINES.get(2).utterance, gpt.text());
        Transcription.Usage.Tokens tokens = gpt.usage().orElseThrow().asTokens();
        assertEquals(15L, tokens.inputTokens());
        assertEquals(15L, tokens.inputTokenDetails().orElseThrow().audioTokens().orElseThrow());
        assertEquals(0L, tokens.inputTokenDetails().orElseThrow().textTokens().orElseThrow());
        assertEquals(tokens.inputTokens() + tokens.outputTokens(), tokens.totalTokens());

        Transcription whisper = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(audio).model(AudioModel.WHISPER_1).build()).validate().asTranscription();
        assertEquals(ConversationScript.LINES.get(2).utterance, whisper.text());
        assertEquals(2.0, whisper.usage().orElseThrow().asDuration().seconds(), 1e-9);
    }

    @Test
    void untaggedAudioGetsUtterancesInRequestOrder() {
        byte[] plain = WavAudio.sine(16_000, 16_000, 300.0, null);
        List<String> heard = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            heard.add(client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(plain).model(AudioModel.GPT_4O_TRANSCRIBE).build()).asTranscription().text());
        }
        assertEquals(List.of(ConversationScript.LINES.get(0).utterance, ConversationScript.LINES.get(1).utterance,
                ConversationScript.LINES.get(2).utterance), heard);
    }

    @Test
    void translationReturnsText() {
        String text = client.audio().translations().create(TranslationCreateParams.builder()
                        .file(MultipartField.<InputStream>builder()
                                .value(new ByteArrayInputStream(WavAudio.callerAudio(2)))
                                .filename("clip.wav").build())
                        .model(AudioModel.WHISPER_1).build())
                .validate().asTranslation().text();
        assertEquals(LINE2.utterance, text);
        assertEquals("/v1/audio/translations", server.receivedRequests().get(0).path());
    }

    @Test
    void speechIsAWavSizedByTheInputAndSentChunked() throws Exception {
        String input = "Hello there, caller.";
        byte[] audio;
        try (HttpResponse resp = client.audio().speech().create(SpeechCreateParams.builder()
                .input(input).model("gpt-4o-mini-tts").voice("alloy")
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV).build());
             InputStream in = resp.body()) {
            assertEquals(200, resp.statusCode());
            audio = in.readAllBytes();
        }
        assertEquals(44 + 200 * input.length(), audio.length);
        assertEquals(MockOpenAiServer.speechBytesFor(input), audio.length);
        assertArrayEquals("RIFF".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(audio, 4));
        assertEquals(input.length() * 200 / 2 / 24_000.0, WavAudio.durationSeconds(audio), 1e-9);

        java.net.http.HttpResponse<byte[]> raw = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/audio/speech"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"abc\",\"response_format\":\"wav\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("audio/wav", raw.headers().firstValue("content-type").orElseThrow());
        assertEquals("chunked", raw.headers().firstValue("transfer-encoding").orElseThrow());
        assertEquals(644, raw.body().length);
    }

    @Test
    void unknownPathIsAnOpenAiStyle404() throws Exception {
        java.net.http.HttpResponse<String> raw = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/fine_tuning/jobs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(404, raw.statusCode());
        JsonNode err = JSON.readTree(raw.body()).path("error");
        assertEquals("Invalid URL (POST /v1/fine_tuning/jobs)", err.path("message").asText());
        assertEquals("invalid_request_error", err.path("type").asText());

        assertThrows(NotFoundException.class,
                () -> client.models().retrieve(ModelRetrieveParams.builder().model("gpt-4o-mini").build()));
    }

    @Test
    void badChatRequestIs400() throws Exception {
        java.net.http.HttpResponse<String> raw = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, raw.statusCode());
        assertEquals("Missing required parameter: 'model'.",
                JSON.readTree(raw.body()).path("error").path("message").asText());
    }

    @Test
    void malformedModeBreaksChatCompletionsInsideTheSdk() throws Exception {
        try (MockOpenAiServer bad = new MockOpenAiServer(true).start()) {
            assertTrue(bad.isMalformed());
            OpenAIClient lenient = client(bad, false);
            OpenAIClient strict = client(bad, true);
            try {
                // lenient (the default): the call returns, reading the choices throws
                ChatCompletion c = lenient.chat().completions().create(chat(LINE2.utterance).build());
                assertThrows(OpenAIInvalidDataException.class, c::choices);
                // with response validation the call itself throws
                assertThrows(OpenAIInvalidDataException.class,
                        () -> strict.chat().completions().create(chat(LINE2.utterance).build()));
                // streaming: the chunk is unusable too
                try (StreamResponse<ChatCompletionChunk> s =
                             lenient.chat().completions().createStreaming(chat(LINE2.utterance).build())) {
                    assertThrows(OpenAIInvalidDataException.class,
                            () -> s.stream().forEach(ChatCompletionChunk::choices));
                }
                // other endpoints are unaffected
                assertEquals(ConversationScript.LINES.get(0).utterance, lenient.audio().transcriptions()
                        .create(TranscriptionCreateParams.builder().file(WavAudio.callerAudio(1))
                                .model(AudioModel.GPT_4O_TRANSCRIBE).build()).asTranscription().text());
            } finally {
                lenient.close();
                strict.close();
            }
        }
    }

    @Test
    void failLlmModeAnswersLlmCallsWith400() throws Exception {
        try (MockOpenAiServer failing = new MockOpenAiServer(false, true).start()) {
            assertTrue(failing.isFailLlm());
            OpenAIClient c = client(failing, true);
            try {
                BadRequestException chatError = assertThrows(BadRequestException.class,
                        () -> c.chat().completions().create(chat(LINE2.utterance).build()));
                assertEquals(400, chatError.statusCode());
                assertEquals("invalid_request_error", chatError.type().orElseThrow());
                assertEquals("context_length_exceeded", chatError.code().orElseThrow());
                assertTrue(chatError.param().isEmpty());
                ResponseCreateParams params = ResponseCreateParams.builder()
                        .model(ChatModel.GPT_4O_MINI).input(LINE2.utterance).build();
                assertThrows(BadRequestException.class, () -> c.responses().create(params));
                assertThrows(BadRequestException.class, () -> c.responses().createStreaming(params).close());
                // other endpoints are unaffected
                assertEquals(ConversationScript.LINES.get(0).utterance, c.audio().transcriptions()
                        .create(TranscriptionCreateParams.builder().file(WavAudio.callerAudio(1))
                                .model(AudioModel.GPT_4O_TRANSCRIBE).build()).asTranscription().text());
            } finally {
                c.close();
            }
        }
        String old = System.getProperty(MockOpenAiServer.FAIL_LLM_PROPERTY);
        try {
            System.setProperty(MockOpenAiServer.FAIL_LLM_PROPERTY, "true");
            assertTrue(new MockOpenAiServer().isFailLlm());
        } finally {
            if (old == null) {
                System.clearProperty(MockOpenAiServer.FAIL_LLM_PROPERTY);
            } else {
                System.setProperty(MockOpenAiServer.FAIL_LLM_PROPERTY, old);
            }
        }
    }

    @Test
    void malformedSystemPropertyIsHonouredByTheNoArgConstructor() {
        String old = System.getProperty(MockOpenAiServer.MALFORMED_PROPERTY);
        try {
            System.setProperty(MockOpenAiServer.MALFORMED_PROPERTY, "true");
            assertTrue(new MockOpenAiServer().isMalformed());
            System.setProperty(MockOpenAiServer.MALFORMED_PROPERTY, "false");
            assertFalse(new MockOpenAiServer().isMalformed());
        } finally {
            if (old == null) {
                System.clearProperty(MockOpenAiServer.MALFORMED_PROPERTY);
            } else {
                System.setProperty(MockOpenAiServer.MALFORMED_PROPERTY, old);
            }
        }
    }

    @Test
    void everyRequestIsRecorded() {
        client.chat().completions().create(chat("one").build());
        client.chat().completions().create(chat("two").build());
        List<MockOpenAiServer.ReceivedRequest> reqs = server.receivedRequests("/v1/chat/completions");
        assertEquals(2, reqs.size());
        assertTrue(reqs.get(0).bodyAsString().contains("\"one\""));
        assertTrue(reqs.get(1).bodyAsString().contains("\"two\""));
        assertEquals("Bearer sk-test-mock", reqs.get(0).header("authorization"));
    }
}
