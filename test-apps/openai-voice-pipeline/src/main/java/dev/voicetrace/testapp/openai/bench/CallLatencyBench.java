package dev.voicetrace.testapp.openai.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.voicetrace.testapp.openai.MockOpenAiServer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times chat completion calls through the real openai-java client against the loopback mock, in
 * one JVM, and prints one result line: {@code calls=N median_us=X p99_us=Y mean_us=Z}. The
 * {@link OverheadBench} driver runs it with and without the agent and compares.
 */
public final class CallLatencyBench {

    private CallLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        try (MockOpenAiServer mock = new MockOpenAiServer()) {
            mock.start();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey("sk-bench-0000000000000000")
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addSystemMessage("You are a friendly voice assistant.")
                    .addUserMessage("Great. Can you suggest a good place to have lunch near the river?")
                    .temperature(0.7)
                    .build();
            for (int i = 0; i < warmup; i++) {
                consume(client.chat().completions().create(params));
            }
            long[] nanos = new long[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                consume(client.chat().completions().create(params));
                nanos[i] = System.nanoTime() - start;
            }
            client.close();
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0);
            System.out.println(String.format(Locale.ROOT, "calls=%d median_us=%.1f p99_us=%.1f mean_us=%.1f",
                    calls, nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0, mean / 1000.0));
        }
    }

    private static int sink;

    private static void consume(ChatCompletion completion) {
        sink += completion.choices().get(0).message().content().map(String::length).orElse(0);
    }
}
