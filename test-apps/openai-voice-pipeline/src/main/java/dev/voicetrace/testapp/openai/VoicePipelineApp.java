package dev.voicetrace.testapp.openai;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The Voicetrace demo: a voice bot that, per conversational turn, transcribes the caller's audio
 * (STT), asks an LLM for a reply and synthesises the reply as speech (TTS), all through the real
 * openai-java client.
 *
 * <p>Options: {@code --turns N} (default 4), {@code --base-url URL} (default: an embedded
 * {@link MockOpenAiServer} on loopback), {@code --malformed} (embedded mock answers chat
 * completions with unusable JSON), {@code --fail-llm} (embedded mock answers chat completions and
 * responses with HTTP 400), {@code --mdc-session ID} (puts the id in SLF4J's MDC under
 * {@code sessionId} on the calling thread, as a web or telephony server would per request),
 * {@code --llm-api chat|responses} (default chat), {@code --stt-streaming} (transcribe through the
 * streaming transcription endpoint), {@code --llm-provider openai|anthropic} (default openai;
 * {@code anthropic} sends the LLM stage through anthropic-java's Messages API, STT and TTS stay on
 * OpenAI, and the embedded mock answers both).
 *
 * <p>Chat API: the LLM call style rotates by turn: 1 sync, 2 sync streaming, 3 async, 4 async
 * streaming, 5 sync, ... Turn 1 additionally offers a {@code get_weather} tool, answers the model's
 * tool call and asks again. Responses API: odd turns sync, even turns sync streaming, no tools.
 * Anthropic: odd turns {@code messages().create}, even turns {@code messages().createStreaming};
 * turn 1 offers the same {@code get_weather} tool, answers its {@code tool_use} with a
 * {@code tool_result} and asks again.
 *
 * <p>Output is deterministic: {@code turn i heard: ...}, {@code turn i reply: ...},
 * {@code turn i speech bytes: n} (or {@code turn i failed: ExceptionSimpleName}), then
 * {@code pipeline done: N turns}.
 */
public final class VoicePipelineApp {

    public static final String SYSTEM_PROMPT = "You are a friendly voice assistant for a city travel help line. "
            + "Answer in one to three short sentences that sound natural when spoken aloud.";
    public static final String FAKE_API_KEY = "sk-test-voicetrace-0000000000000000";
    public static final String CHAT_MODEL = "gpt-4o-mini";
    public static final String TTS_VOICE = "coral";
    public static final String ANTHROPIC_MODEL = "claude-haiku-4-5";
    public static final String FAKE_ANTHROPIC_API_KEY = "sk-ant-test-voicetrace-0000000000000000";

    private static final String USAGE = "usage: VoicePipelineApp [--turns N] [--base-url URL] [--malformed] "
            + "[--fail-llm] [--mdc-session ID] [--llm-api chat|responses] [--stt-streaming] "
            + "[--llm-provider openai|anthropic]";

    private VoicePipelineApp() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out);
        System.out.flush();
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /**
     * Runs the pipeline, printing to {@code out}. Returns the process exit code: 0 (also when
     * individual turns failed), 2 for bad command-line options.
     */
    public static int run(String[] args, PrintStream out) {
        int turns = 4;
        String baseUrl = null;
        boolean malformed = false;
        boolean failLlm = false;
        boolean responsesApi = false;
        boolean sttStreaming = false;
        boolean anthropicLlm = false;
        String mdcSession = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--turns":
                        turns = Integer.parseInt(args[++i]);
                        if (turns < 0) {
                            throw new NumberFormatException(a);
                        }
                        break;
                    case "--base-url":
                        baseUrl = args[++i];
                        break;
                    case "--malformed":
                        malformed = true;
                        break;
                    case "--fail-llm":
                        failLlm = true;
                        break;
                    case "--mdc-session":
                        mdcSession = args[++i];
                        break;
                    case "--llm-api":
                        String api = args[++i];
                        if (!api.equals("chat") && !api.equals("responses")) {
                            throw new IllegalArgumentException(api);
                        }
                        responsesApi = api.equals("responses");
                        break;
                    case "--stt-streaming":
                        sttStreaming = true;
                        break;
                    case "--llm-provider":
                        String provider = args[++i];
                        if (!provider.equals("openai") && !provider.equals("anthropic")) {
                            throw new IllegalArgumentException(provider);
                        }
                        anthropicLlm = provider.equals("anthropic");
                        break;
                    default:
                        System.err.println("unknown option: " + a);
                        System.err.println(USAGE);
                        return 2;
                }
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
                System.err.println("bad value for " + a);
                System.err.println(USAGE);
                return 2;
            }
        }

        if (mdcSession != null) {
            org.slf4j.MDC.put("sessionId", mdcSession);
        }
        MockOpenAiServer mock = null;
        try {
            if (baseUrl == null) {
                mock = new MockOpenAiServer(malformed || Boolean.getBoolean(MockOpenAiServer.MALFORMED_PROPERTY),
                        failLlm || Boolean.getBoolean(MockOpenAiServer.FAIL_LLM_PROPERTY));
                mock.start();
                baseUrl = mock.baseUrl();
            }
            String apiKey = System.getenv("OPENAI_API_KEY");
            if (apiKey == null || apiKey.isEmpty()) {
                apiKey = FAKE_API_KEY;
            }
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(apiKey)
                    .baseUrl(baseUrl)
                    .build();
            AnthropicClient anthropic = anthropicLlm ? anthropicClient(baseUrl) : null;
            try {
                new Pipeline(client, client.async(), out, responsesApi, sttStreaming, anthropic).run(turns);
            } finally {
                client.close();
                if (anthropic != null) {
                    anthropic.close();
                }
            }
            out.println("pipeline done: " + turns + " turns");
            return 0;
        } catch (IOException e) {
            System.err.println("could not start the mock OpenAI server: " + e);
            return 1;
        } finally {
            if (mock != null) {
                mock.close();
            }
        }
    }

    /**
     * anthropic-java appends {@code /v1/messages} to its base URL, the server root, so an OpenAI
     * base URL ending in {@code /v1} (the embedded mock's) loses that suffix.
     */
    private static AnthropicClient anthropicClient(String openAiBaseUrl) {
        String root = openAiBaseUrl.replaceAll("/+$", "");
        if (root.endsWith("/v1")) {
            root = root.substring(0, root.length() - "/v1".length());
        }
        String apiKey = System.getenv("ANTHROPIC_API_KEY");
        if (apiKey == null || apiKey.isEmpty()) {
            apiKey = FAKE_ANTHROPIC_API_KEY;
        }
        return AnthropicOkHttpClient.builder().apiKey(apiKey).baseUrl(root).build();
    }

    /** The per-turn STT -> LLM -> TTS loop. */
    static final class Pipeline {
        private final OpenAIClient client;
        private final OpenAIClientAsync asyncClient;
        private final PrintStream out;
        private int currentTurn;
        private final boolean responsesApi;
        private final boolean sttStreaming;
        /** The LLM stage's client when it is Anthropic's, else null. */
        private final AnthropicClient anthropic;
        /** Alternating user / assistant texts of completed turns. */
        private final List<String[]> history = new ArrayList<>();

        Pipeline(OpenAIClient client, OpenAIClientAsync asyncClient, PrintStream out,
                 boolean responsesApi, boolean sttStreaming, AnthropicClient anthropic) {
            this.client = client;
            this.asyncClient = asyncClient;
            this.out = out;
            this.responsesApi = responsesApi;
            this.sttStreaming = sttStreaming;
            this.anthropic = anthropic;
        }

        void run(int turns) {
            for (int turn = 1; turn <= turns; turn++) {
                try {
                    runTurn(turn);
                } catch (Exception e) {
                    out.println("turn " + turn + " failed: " + unwrap(e).getClass().getSimpleName());
                }
            }
        }

        private void runTurn(int turn) throws IOException {
            // 1. caller audio
            byte[] callerAudio = WavAudio.callerAudio(turn);

            // 2. STT
            String heard = transcribe(turn, callerAudio);
            out.println("turn " + turn + " heard: " + heard);

            // 3. LLM
            String reply;
            if (anthropic != null) {
                reply = anthropicReply(turn, heard);
            } else if (responsesApi) {
                reply = turn % 2 == 1 ? responsesSync(heard) : responsesStreaming(heard);
            } else {
                reply = chat(turn, heard);
            }
            out.println("turn " + turn + " reply: " + reply);

            // 4. TTS
            long speechBytes;
            try (HttpResponse speech = client.audio().speech().create(
                    SpeechCreateParams.builder()
                            .input(reply)
                            .model(SpeechModel.GPT_4O_MINI_TTS)
                            .voice(TTS_VOICE)
                            .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                            .build());
                 InputStream body = speech.body()) {
                speechBytes = count(body);
            }
            out.println("turn " + turn + " speech bytes: " + speechBytes);

            history.add(new String[] {heard, reply});
        }

        private String transcribe(int turn, byte[] callerAudio) {
            TranscriptionCreateParams params = TranscriptionCreateParams.builder()
                    // file(byte[]) alone would upload without a filename; the real API
                    // detects the audio format from the filename's extension
                    .file(MultipartField.<InputStream>builder()
                            .value(new ByteArrayInputStream(callerAudio))
                            .filename("caller-turn-" + turn + ".wav")
                            .contentType("audio/wav")
                            .build())
                    .model(AudioModel.GPT_4O_TRANSCRIBE)
                    .language("en")
                    .responseFormat(AudioResponseFormat.JSON)
                    .build();
            if (!sttStreaming) {
                TranscriptionCreateResponse stt = client.audio().transcriptions().create(params);
                return stt.asTranscription().text();
            }
            // reduce reads the stream to its end (the done event is the last one), so it completes normally
            try (StreamResponse<TranscriptionStreamEvent> stream =
                         client.audio().transcriptions().createStreaming(params)) {
                return stream.stream()
                        .filter(TranscriptionStreamEvent::isTranscriptTextDone)
                        .map(event -> event.asTranscriptTextDone().text())
                        .reduce((earlier, later) -> later)
                        .orElseThrow(() -> new IllegalStateException("no transcript.text.done event"));
            }
        }

        private String chat(int turn, String heard) {
            currentTurn = turn;
            switch ((turn - 1) % 4) {
                case 0:
                    return turn == 1 ? syncWithTool(heard) : sync(heard);
                case 1:
                    return syncStreaming(heard);
                case 2:
                    return async(heard);
                default:
                    return asyncStreaming(heard);
            }
        }

        // ---------------------------------------------------------------- Anthropic Messages API

        private String anthropicReply(int turn, String heard) {
            if (turn == 1) {
                return anthropicWithTool(heard);
            }
            return turn % 2 == 1 ? anthropicSync(heard) : anthropicStreaming(heard);
        }

        /**
         * Messages API request: the system prompt in {@code system}, the conversation as messages.
         * (anthropic-java 3.x has no sampling parameters: current models reject non-default ones.)
         */
        private MessageCreateParams.Builder anthropicParams(String heard) {
            MessageCreateParams.Builder b = MessageCreateParams.builder()
                    .model(ANTHROPIC_MODEL)
                    .maxTokens(200L)
                    .system(SYSTEM_PROMPT);
            for (String[] t : history) {
                b.addUserMessage(t[0]);
                b.addAssistantMessage(t[1]);
            }
            return b.addUserMessage(heard);
        }

        private String anthropicSync(String heard) {
            return anthropicText(anthropic.messages().create(anthropicParams(heard).build()));
        }

        /** Turn 1: offer get_weather, answer the tool_use with a tool_result, ask again. */
        private String anthropicWithTool(String heard) {
            MessageCreateParams.Builder params = anthropicParams(heard).addTool(anthropicWeatherTool());
            Message first = anthropic.messages().create(params.build());
            List<ToolUseBlock> toolUses = new ArrayList<>();
            for (ContentBlock block : first.content()) {
                block.toolUse().ifPresent(toolUses::add);
            }
            if (toolUses.isEmpty()) {
                return anthropicText(first);
            }
            params.addMessage(first);
            List<ContentBlockParam> results = new ArrayList<>();
            for (ToolUseBlock toolUse : toolUses) {
                String result = ConversationScript.WEATHER_TOOL.equals(toolUse.name())
                        ? ConversationScript.WEATHER_TOOL_RESULT
                        : "{\"error\":\"unknown tool\"}";
                results.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(toolUse.id())
                        .content(result)
                        .build()));
            }
            params.addUserMessageOfContentBlockParams(results);
            return anthropicText(anthropic.messages().create(params.build()));
        }

        private String anthropicStreaming(String heard) {
            MessageCreateParams params = anthropicParams(heard).build();
            StringBuilder reply = new StringBuilder();
            try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                         anthropic.messages().createStreaming(params)) {
                stream.stream().forEach(event -> event.contentBlockDelta()
                        .flatMap(delta -> delta.delta().text())
                        .ifPresent(text -> reply.append(text.text())));
            }
            return reply.toString();
        }

        private static String anthropicText(Message message) {
            StringBuilder text = new StringBuilder();
            for (ContentBlock block : message.content()) {
                block.text().map(TextBlock::text).ifPresent(text::append);
            }
            return text.toString();
        }

        private static Tool anthropicWeatherTool() {
            return Tool.builder()
                    .name(ConversationScript.WEATHER_TOOL)
                    .description("Get the current weather for a city.")
                    .inputSchema(Tool.InputSchema.builder()
                            .properties(com.anthropic.core.JsonValue.from(orderedMap(
                                    "city", orderedMap("type", "string", "description", "City name, e.g. Lisbon"),
                                    "unit", orderedMap("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                            .required(List.of("city", "unit"))
                            .build())
                    .build();
        }

        /** Responses API request: system prompt as instructions, the conversation as input messages. */
        private ResponseCreateParams responsesParams(String heard) {
            List<ResponseInputItem> input = new ArrayList<>();
            for (String[] t : history) {
                input.add(message(EasyInputMessage.Role.USER, t[0]));
                input.add(message(EasyInputMessage.Role.ASSISTANT, t[1]));
            }
            input.add(message(EasyInputMessage.Role.USER, heard));
            return ResponseCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .instructions(SYSTEM_PROMPT)
                    .temperature(0.7)
                    .maxOutputTokens(200L)
                    .inputOfResponse(input)
                    .build();
        }

        private static ResponseInputItem message(EasyInputMessage.Role role, String text) {
            return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(role).content(text).build());
        }

        private String responsesSync(String heard) {
            Response response = client.responses().create(responsesParams(heard));
            StringBuilder reply = new StringBuilder();
            for (ResponseOutputItem item : response.output()) {
                if (item.isMessage()) {
                    for (ResponseOutputMessage.Content part : item.asMessage().content()) {
                        if (part.isOutputText()) {
                            reply.append(part.asOutputText().text());
                        }
                    }
                }
            }
            return reply.toString();
        }

        private String responsesStreaming(String heard) {
            StringBuilder reply = new StringBuilder();
            ResponseCreateParams params = responsesParams(heard);
            try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
                stream.stream().forEach(event -> {
                    if (event.isOutputTextDelta()) {
                        reply.append(event.asOutputTextDelta().delta());
                    }
                });
            }
            return reply.toString();
        }

        private ChatCompletionCreateParams.Builder baseParams(String heard) {
            ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .temperature(0.7)
                    .maxCompletionTokens(200L)
                    .addSystemMessage(SYSTEM_PROMPT);
            for (String[] t : history) {
                b.addUserMessage(t[0]);
                b.addAssistantMessage(t[1]);
            }
            return b.addUserMessage(heard);
        }

        private String sync(String heard) {
            ChatCompletion completion = client.chat().completions().create(baseParams(heard).build());
            printUsage(completion.usage());
            return replyText(completion);
        }

        /** The token counts the provider reported for one model call, as the application sees them. */
        private void printUsage(Optional<CompletionUsage> usage) {
            usage.ifPresent(u -> out.println("turn " + currentTurn + " model usage: prompt_tokens=" + u.promptTokens()
                    + " cached_tokens=" + u.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L)
                    + " completion_tokens=" + u.completionTokens()));
        }

        /** Turn 1: offer get_weather, answer the tool call with a fixed result, ask again. */
        private String syncWithTool(String heard) {
            ChatCompletionCreateParams.Builder params = baseParams(heard).addFunctionTool(weatherTool());
            ChatCompletion first = client.chat().completions().create(params.build());
            printUsage(first.usage());
            ChatCompletionMessage message = first.choices().get(0).message();
            List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
            if (calls.isEmpty()) {
                return replyText(first);
            }
            params.addMessage(message);
            for (ChatCompletionMessageToolCall call : calls) {
                ChatCompletionMessageFunctionToolCall fn = call.asFunction();
                String result = ConversationScript.WEATHER_TOOL.equals(fn.function().name())
                        ? ConversationScript.WEATHER_TOOL_RESULT
                        : "{\"error\":\"unknown tool\"}";
                params.addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(fn.id())
                        .content(result)
                        .build());
            }
            ChatCompletion second = client.chat().completions().create(params.build());
            printUsage(second.usage());
            return replyText(second);
        }

        private String syncStreaming(String heard) {
            ChatCompletionCreateParams params = baseParams(heard)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build();
            StringBuilder reply = new StringBuilder();
            AtomicReference<CompletionUsage> usage = new AtomicReference<>();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                stream.stream().forEach(chunk -> appendDeltas(chunk, reply, usage));
            }
            printUsage(Optional.ofNullable(usage.get()));
            return reply.toString();
        }

        private String async(String heard) {
            ChatCompletion completion = asyncClient.chat().completions().create(baseParams(heard).build()).join();
            printUsage(completion.usage());
            return replyText(completion);
        }

        private String asyncStreaming(String heard) {
            ChatCompletionCreateParams params = baseParams(heard)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build();
            StringBuilder reply = new StringBuilder();
            AtomicReference<CompletionUsage> usage = new AtomicReference<>();
            AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(params);
            try {
                stream.subscribe(chunk -> {
                    synchronized (reply) {
                        appendDeltas(chunk, reply, usage);
                    }
                });
                stream.onCompleteFuture().join();
            } finally {
                stream.close();
            }
            printUsage(Optional.ofNullable(usage.get()));
            synchronized (reply) {
                return reply.toString();
            }
        }

        private static void appendDeltas(ChatCompletionChunk chunk, StringBuilder reply,
                                         AtomicReference<CompletionUsage> usage) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().ifPresent(reply::append);
            }
            chunk.usage().ifPresent(usage::set);
        }

        private static String replyText(ChatCompletion completion) {
            return completion.choices().get(0).message().content().orElse("");
        }

        private static FunctionDefinition weatherTool() {
            return FunctionDefinition.builder()
                    .name(ConversationScript.WEATHER_TOOL)
                    .description("Get the current weather for a city.")
                    .parameters(FunctionParameters.builder()
                            .putAdditionalProperty("type", JsonValue.from("object"))
                            .putAdditionalProperty("properties", JsonValue.from(orderedMap(
                                    "city", orderedMap("type", "string", "description", "City name, e.g. Lisbon"),
                                    "unit", orderedMap("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                            .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                            .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                            .build())
                    .strict(true)
                    .build();
        }

        /** Insertion-ordered map (Map.of iterates in a per-JVM random order; request bodies should be stable). */
        private static Map<String, Object> orderedMap(Object... keyValues) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
            return m;
        }

        private static long count(InputStream in) throws IOException {
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
            return total;
        }

        private static Throwable unwrap(Throwable t) {
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        }
    }
}
