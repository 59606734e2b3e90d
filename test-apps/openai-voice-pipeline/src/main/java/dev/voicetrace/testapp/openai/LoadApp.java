package dev.voicetrace.testapp.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for the agent: {@code threads} application threads share {@code calls} chat completion
 * calls through one openai-java client against the loopback mock, then the app prints how many
 * succeeded and the heap it holds after a full GC.
 *
 * <pre>java -cp openai-voice-pipeline.jar dev.voicetrace.testapp.openai.LoadApp [threads] [calls]</pre>
 */
public final class LoadApp {

    private LoadApp() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicLong replyChars = new AtomicLong();
        try (MockOpenAiServer mock = new MockOpenAiServer()) {
            mock.keepRequests(false);
            mock.start();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(VoicePipelineApp.FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model(VoicePipelineApp.CHAT_MODEL)
                    .addSystemMessage(VoicePipelineApp.SYSTEM_PROMPT)
                    .addUserMessage("Great. Can you suggest a good place to have lunch near the river?")
                    .build();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    while (next.getAndIncrement() < calls) {
                        String reply = client.chat().completions().create(params).choices().get(0).message()
                                .content().orElse("");
                        replyChars.addAndGet(reply.length());
                        succeeded.incrementAndGet();
                    }
                }, "load-" + t);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            client.close();
        }
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long usedMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        System.out.println("load done: threads=" + threads + " calls=" + succeeded.get() + " reply_chars="
                + replyChars.get());
        System.err.println("heap_used_mb=" + usedMb);
    }
}
