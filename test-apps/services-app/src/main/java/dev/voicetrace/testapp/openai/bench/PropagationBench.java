package dev.voicetrace.testapp.openai.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.sun.net.httpserver.HttpServer;
import dev.voicetrace.testapp.openai.MockOpenAiServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What trace context propagation adds to a request, under the agent: the same small POST over the
 * JDK's HTTP client to a loopback server, timed on a thread that is inside a turn (a transcription
 * through openai-java opened it, so every request carries {@code traceparent}, {@code tracestate}
 * and {@code baggage}) and on a thread outside any turn (nothing added), in interleaved rounds.
 * The difference of the medians is the added latency per propagated request.
 *
 * <pre>
 * java -javaagent:agent/target/voicetrace-agent.jar -Dvoicetrace.file.path=/tmp/bench.jsonl \
 *     -cp test-apps/services-app/target/classes:test-apps/openai-voice-pipeline/target/openai-voice-pipeline.jar \
 *     dev.voicetrace.testapp.openai.bench.PropagationBench [--requests 2000] [--rounds 7]
 * </pre>
 */
public final class PropagationBench {

    public static void main(String[] args) throws Exception {
        int requests = 2000;
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--requests")) {
                requests = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            }
        }
        AtomicLong withTraceparent = new AtomicLong();
        // Idle connections stay open: the JDK server closing one the client is about to reuse stalls a request.
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestHeaders().containsKey("traceparent")) {
                withTraceparent.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        server.start();
        URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/reply");
        HttpClient http = HttpClient.newHttpClient();
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test-voicetrace-bench-0000000000000000")
                    .baseUrl(mock.baseUrl()).maxRetries(0).build();
            double[] inTurn = new double[rounds];
            double[] outside = new double[rounds];
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                double plain = timeOnThread(requests, http, target, null);
                double traced = timeOnThread(requests, http, target, client);
                if (round >= 0) {
                    outside[round] = plain;
                    inTurn[round] = traced;
                }
            }
            client.close();
            Arrays.sort(inTurn);
            Arrays.sort(outside);
            System.out.printf(Locale.ROOT, "requests per round %d, rounds %d; with traceparent received: %d%n",
                    requests, rounds, withTraceparent.get());
            System.out.printf(Locale.ROOT, "median per request outside a turn: %.1f us; inside a turn: %.1f us;"
                    + " added by propagation: %.1f us%n", outside[rounds / 2], inTurn[rounds / 2],
                    inTurn[rounds / 2] - outside[rounds / 2]);
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /**
     * Mean microseconds per request of {@code requests} sequential requests on a fresh thread; with
     * {@code client}, the thread first transcribes a short clip, which opens a turn in its context.
     */
    private static double timeOnThread(int requests, HttpClient http, URI target,
                                       OpenAIClient client) throws InterruptedException {
        double[] result = new double[1];
        Thread thread = new Thread(() -> {
            if (client != null) {
                client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                        .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(new byte[2048]))
                                .filename("caller-1-turn-1.wav").contentType("audio/wav").build())
                        .model(AudioModel.GPT_4O_TRANSCRIBE).responseFormat(AudioResponseFormat.JSON).build());
            }
            long started = System.nanoTime();
            loop(http, target, requests);
            result[0] = (System.nanoTime() - started) / 1000.0 / requests;
        });
        thread.start();
        thread.join();
        return result[0];
    }

    private static void loop(HttpClient http, URI target, int requests) {
        try {
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(target)
                        .timeout(java.time.Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"caller\":1}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
