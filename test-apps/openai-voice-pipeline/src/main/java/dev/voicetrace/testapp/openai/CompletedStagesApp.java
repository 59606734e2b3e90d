package dev.voicetrace.testapp.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Adds each model call as a stage to a transcription that has already completed: what a busy
 * server does when the transcription finishes before the thread that started it gets to add the
 * next stage. The questions never repeat the transcripts, so only the context can link them.
 * Prints one line per call.
 * <ol>
 *   <li>Turn 1: the transcription runs on a pool and completes; the main thread, which has only
 *       the session (SLF4J's MDC), then adds the model call with {@code thenApplyAsync}.</li>
 *   <li>Turn 2: a stage of turn 1 transcribes again, waits for it, and adds the model call with
 *       {@code thenApply} (no executor): the thread adding it is still in turn 1.</li>
 *   <li>Another caller's transcription, completed on a thread in that caller's session; the main
 *       thread adds a model call to it: the call stays in the main thread's session.</li>
 * </ol>
 */
public final class CompletedStagesApp {

    static final String SESSION = "completed-stages";
    static final String OTHER_SESSION = "other-caller";

    public static void main(String[] args) throws Exception {
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(ConcurrentCallsApp.FAKE_API_KEY).baseUrl(mock.baseUrl()).maxRetries(0).build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            ExecutorService otherCaller = Executors.newSingleThreadExecutor();
            org.slf4j.MDC.put("sessionId", SESSION);
            try {
                CompletableFuture<String> firstHeard = CompletableFuture.supplyAsync(
                        () -> transcribe(client, "I would like to book a table for two."), pool);
                firstHeard.join();
                System.out.println(firstHeard.thenApplyAsync(words -> ask(client, "First question."), pool).join());

                System.out.println(firstHeard.thenApplyAsync(words -> {
                    CompletableFuture<String> secondHeard = CompletableFuture.supplyAsync(
                            () -> transcribe(client, "Make it eight in the evening."), pool);
                    secondHeard.join();
                    return secondHeard.thenApply(more -> ask(client, "Second question.")).join();
                }, pool).join());

                CompletableFuture<String> otherHeard = CompletableFuture.supplyAsync(() -> {
                    org.slf4j.MDC.put("sessionId", OTHER_SESSION);
                    return transcribe(client, "Someone else is speaking here.");
                }, otherCaller);
                otherHeard.join();
                System.out.println(otherHeard.thenApplyAsync(words -> ask(client, "Third question."), pool).join());
            } finally {
                org.slf4j.MDC.remove("sessionId");
                pool.shutdown();
                otherCaller.shutdown();
                client.close();
            }
        }
    }

    private static String transcribe(OpenAIClient client, String words) {
        TranscriptionCreateParams params = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(WavAudio.saying(words, 400)))
                        .filename("utterance.wav")
                        .contentType("audio/wav")
                        .build())
                .model(AudioModel.GPT_4O_TRANSCRIBE)
                .responseFormat(AudioResponseFormat.JSON)
                .build();
        return client.audio().transcriptions().create(params).asTranscription().text();
    }

    private static String ask(OpenAIClient client, String question) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o-mini").addUserMessage(question).build())
                .choices().get(0).message().content().orElse("");
    }
}
