package dev.voicetrace.testapp.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A voice server in miniature: many calls at once, each a chain of turns, with every stage on a
 * pool of its own (transcription, model, speech; speech on virtual threads where the JDK has
 * them), stages handed from pool to pool through {@code CompletableFuture}s, the way production
 * voice servers interleave conversations on shared threads. The callers' words come from
 * {@link CallCentreScript}, so what is traced can be checked against who said what.
 *
 * <p>Options: {@code --calls N} (default 50), {@code --turns M} (default 5), {@code --mdc} (the
 * call's entry thread puts {@code sessionId=call-N} into SLF4J's MDC and nowhere else; without it
 * the application names no session at all), {@code --streaming} (transcription and model output
 * streamed; each reply sentence is spoken as soon as it has streamed, while the rest still streams),
 * {@code --turn-loop} (each call is a loop on a thread of its own that starts every turn afresh and
 * waits for it, so that no turn is started from the context of the one before), {@code --no-history}
 * (each model call sends only the latest user message, no earlier turns).
 * Output: one deterministic line per call, then a total.
 */
public final class ConcurrentCallsApp {

    static final String FAKE_API_KEY = "sk-test-voicetrace-concurrent-0000000000000000";
    private static final int POOL_THREADS = 8;

    private final OpenAIClient client;
    private final boolean mdc;
    private final boolean streaming;
    private final int turns;
    private final boolean turnLoop;
    private final boolean sendHistory;
    private final ExecutorService entry = Executors.newFixedThreadPool(4, named("call-entry"));
    private final ExecutorService sttPool = Executors.newFixedThreadPool(POOL_THREADS, named("stt"));
    private final ExecutorService llmPool = Executors.newFixedThreadPool(POOL_THREADS, named("llm"));
    private final ExecutorService ttsPool = virtualThreadsOr(POOL_THREADS, "tts");

    private ConcurrentCallsApp(OpenAIClient client, boolean mdc, boolean streaming, int turns, boolean turnLoop,
                               boolean sendHistory) {
        this.client = client;
        this.mdc = mdc;
        this.streaming = streaming;
        this.turns = turns;
        this.turnLoop = turnLoop;
        this.sendHistory = sendHistory;
    }

    public static void main(String[] args) throws Exception {
        int calls = 50;
        int turns = 5;
        boolean mdc = false;
        boolean streaming = false;
        boolean turnLoop = false;
        boolean sendHistory = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls":
                    calls = Integer.parseInt(args[++i]);
                    break;
                case "--turns":
                    turns = Integer.parseInt(args[++i]);
                    break;
                case "--mdc":
                    mdc = true;
                    break;
                case "--streaming":
                    streaming = true;
                    break;
                case "--turn-loop":
                    turnLoop = true;
                    break;
                case "--no-history":
                    sendHistory = false;
                    break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            ConcurrentCallsApp app = new ConcurrentCallsApp(client, mdc, streaming, turns, turnLoop, sendHistory);
            try {
                app.run(calls);
            } finally {
                app.shutdown();
                client.close();
            }
        }
    }

    private void run(int calls) {
        List<CompletableFuture<String>> running = new ArrayList<>();
        for (int caller = 1; caller <= calls; caller++) {
            int c = caller;
            running.add(turnLoop ? loop(c)
                    : CompletableFuture.supplyAsync(() -> answer(c), entry).thenCompose(call -> call));
        }
        int turnsDone = 0;
        for (CompletableFuture<String> call : running) {
            String summary = call.join();
            System.out.println(summary);
            turnsDone += turns;
        }
        System.out.println("calls done: " + calls + " calls, " + turnsDone + " turns");
    }

    /** Runs on an entry thread, as a telephony server's request handler would, and returns at once. */
    private CompletableFuture<String> answer(int caller) {
        if (mdc) {
            org.slf4j.MDC.put("sessionId", "call-" + caller);
        }
        try {
            return turn(caller, 1, new ArrayList<>());
        } finally {
            if (mdc) {
                org.slf4j.MDC.remove("sessionId");
            }
        }
    }

    private CompletableFuture<String> turn(int caller, int turn, List<String> history) {
        return oneTurn(caller, turn, history)
                .thenCompose(reply -> turn < turns ? turn(caller, turn + 1, history)
                        : CompletableFuture.completedFuture(summary(caller, history)));
    }

    /**
     * A call as a loop on a thread of its own, started with no context: each turn is started from
     * the loop and waited for, as an application that drives its turns from a per-call loop does.
     */
    private CompletableFuture<String> loop(int caller) {
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                List<String> history = new ArrayList<>();
                for (int turn = 1; turn <= turns; turn++) {
                    oneTurn(caller, turn, history).join();
                }
                done.complete(summary(caller, history));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "call-loop-" + caller);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** Transcription, model call and speech of one turn, each on its own pool; completes with the reply. */
    private CompletableFuture<String> oneTurn(int caller, int turn, List<String> history) {
        return CompletableFuture.supplyAsync(() -> transcribe(caller, turn), sttPool)
                .thenApplyAsync(heard -> {
                    history.add(heard);
                    return reply(caller, history);
                }, llmPool)
                .thenCompose(speech -> speech)
                .thenApply(reply -> {
                    history.add(reply);
                    return reply;
                });
    }

    private String summary(int caller, List<String> history) {
        return "call " + caller + ": " + turns + " turns, " + history.size() + " messages";
    }

    private String transcribe(int caller, int turn) {
        byte[] audio = WavAudio.saying(CallCentreScript.utterance(caller, turn), 400 + 10 * turn);
        TranscriptionCreateParams params = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(audio))
                        .filename(CallCentreScript.audioFileName(caller, turn))
                        .contentType("audio/wav")
                        .build())
                .model(AudioModel.GPT_4O_TRANSCRIBE)
                .responseFormat(AudioResponseFormat.JSON)
                .build();
        if (!streaming) {
            return client.audio().transcriptions().create(params).asTranscription().text();
        }
        try (StreamResponse<TranscriptionStreamEvent> stream = client.audio().transcriptions().createStreaming(params)) {
            return stream.stream()
                    .filter(TranscriptionStreamEvent::isTranscriptTextDone)
                    .map(event -> event.asTranscriptTextDone().text())
                    .reduce((earlier, later) -> later)
                    .orElseThrow(() -> new IllegalStateException("no final transcript"));
        }
    }

    /**
     * Asks the model and starts speaking its reply on the speech pool; completes with the reply
     * once all of it has been spoken. Streaming, each sentence is spoken as soon as it is complete.
     */
    private CompletableFuture<String> reply(int caller, List<String> history) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage(CallCentreScript.systemPrompt(caller));
        for (int i = sendHistory ? 0 : history.size() - 1; i < history.size(); i++) {
            if (i % 2 == 0) {
                params.addUserMessage(history.get(i));
            } else {
                params.addAssistantMessage(history.get(i));
            }
        }
        if (!streaming) {
            ChatCompletion completion = client.chat().completions().create(params.build());
            String reply = completion.choices().get(0).message().content().orElse("");
            return CompletableFuture.supplyAsync(() -> speak(reply), ttsPool).thenApply(bytes -> reply);
        }
        List<CompletableFuture<Integer>> spoken = new ArrayList<>();
        StringBuilder reply = new StringBuilder();
        StringBuilder sentence = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(chunk -> {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    String piece = choice.delta().content().orElse("");
                    reply.append(piece);
                    sentence.append(piece);
                    if (sentence.toString().trim().endsWith(".")) {
                        String text = sentence.toString().trim();
                        sentence.setLength(0);
                        spoken.add(CompletableFuture.supplyAsync(() -> speak(text), ttsPool));
                    }
                }
            });
        }
        if (sentence.toString().trim().length() > 0) {
            String text = sentence.toString().trim();
            spoken.add(CompletableFuture.supplyAsync(() -> speak(text), ttsPool));
        }
        return CompletableFuture.allOf(spoken.toArray(new CompletableFuture<?>[0])).thenApply(done -> reply.toString());
    }

    private int speak(String text) {
        try (HttpResponse speech = client.audio().speech().create(SpeechCreateParams.builder()
                .input(text)
                .model(SpeechModel.GPT_4O_MINI_TTS)
                .voice(VoicePipelineApp.TTS_VOICE)
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                .build());
             InputStream body = speech.body()) {
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void shutdown() throws InterruptedException {
        for (ExecutorService pool : new ExecutorService[] {entry, sttPool, llmPool, ttsPool}) {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One virtual thread per task where the JDK has them (21+), else a fixed pool of platform threads. */
    private static ExecutorService virtualThreadsOr(int threads, String prefix) {
        try {
            Method perTask = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) perTask.invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newFixedThreadPool(threads, named(prefix));
        }
    }
}
