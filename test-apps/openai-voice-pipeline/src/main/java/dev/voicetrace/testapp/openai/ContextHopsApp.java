package dev.voicetrace.testapp.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sets a session id in SLF4J's MDC on the main thread only, then makes one model call per hand-off
 * style, each several hops away: a new platform thread, the common fork/join pool (the default of
 * {@code CompletableFuture.supplyAsync}), a scheduled executor, and a virtual thread and a new
 * platform thread per task where the JDK has them. Prints one line per call.
 */
public final class ContextHopsApp {

    public static void main(String[] args) throws Exception {
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(ConcurrentCallsApp.FAKE_API_KEY).baseUrl(mock.baseUrl()).maxRetries(0).build();
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
            org.slf4j.MDC.put("sessionId", "hops-session");
            try {
                System.out.println(ask(client, "Asked on the main thread."));
                AtomicReference<String> fromThread = new AtomicReference<>();
                Thread thread = new Thread(() -> fromThread.set(
                        CompletableFuture.supplyAsync(() -> ask(client, "Hop through a thread, then the common pool."))
                                .join()));
                thread.start();
                thread.join();
                System.out.println(fromThread.get());
                System.out.println(scheduler.schedule(() -> ask(client, "Hop through a scheduled executor."),
                        5, TimeUnit.MILLISECONDS).get());
                ExecutorService virtual = virtualThreads();
                if (virtual != null) {
                    System.out.println(virtual.submit(() -> ask(client, "Hop through a virtual thread.")).get());
                    virtual.shutdown();
                } else {
                    System.out.println(scheduler.submit(() -> ask(client, "Hop through a virtual thread.")).get());
                }
                ExecutorService perTask = platformThreadPerTask();
                ExecutorService threads = perTask != null ? perTask : scheduler;
                System.out.println(threads.submit(() -> ask(client, "Hop through a thread per task.")).get());
                if (perTask != null) {
                    perTask.shutdown();
                }
            } finally {
                org.slf4j.MDC.remove("sessionId");
                scheduler.shutdown();
                client.close();
            }
        }
    }

    private static String ask(OpenAIClient client, String question) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o-mini").addUserMessage(question).build())
                .choices().get(0).message().content().orElse("");
    }

    /** JDK 21's executor that starts a new platform thread per task, which it starts as no application does. */
    private static ExecutorService platformThreadPerTask() {
        try {
            Object builder = Thread.class.getMethod("ofPlatform").invoke(null);
            Object factory = Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
            java.lang.reflect.Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor",
                    java.util.concurrent.ThreadFactory.class);
            return (ExecutorService) perTask.invoke(null, factory);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static ExecutorService virtualThreads() {
        try {
            Method perTask = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) perTask.invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
