package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The dialogue side of a voice system split over two services: an HTTP service (a servlet on
 * embedded Tomcat) that answers {@code POST /reply} (JSON: {@code caller} and the conversation's
 * {@code history}, user message first) with the model's reply, asked through openai-java (on a
 * pool of its own) against an embedded stand-in for the OpenAI API. {@code GET /ready} answers
 * once it is up, {@code POST /shutdown} stops it. Every answer carries the {@code traceparent} the
 * request came with in {@code x-received-traceparent}.
 *
 * <p>With {@code --grpc-port Q} it also answers the same over gRPC ({@link DialogueGrpc#REPLY}),
 * the model asked on the same pool.
 *
 * <p>Options: {@code --port P} (required), {@code --grpc-port Q}. Output: {@code dialogue listening on P}, then
 * {@code dialogue answered N requests} when stopped.
 */
public final class DialogueServiceApp {

    static final String FAKE_API_KEY = "sk-test-voicetrace-dialogue-00000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAIClient client;
    private final ExecutorService llmPool = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "dialogue-llm");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch stop = new CountDownLatch(1);

    private DialogueServiceApp(OpenAIClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        int grpcPort = -1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--grpc-port")) {
                grpcPort = Integer.parseInt(args[++i]);
            } else {
                System.err.println("unknown option " + args[i]);
                System.exit(2);
            }
        }
        if (port < 0) {
            System.err.println("--port P is required");
            System.exit(2);
        }
        Path baseDir = Files.createTempDirectory("dialogue-tomcat");
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            DialogueServiceApp app = new DialogueServiceApp(client);
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext("", baseDir.toString());
            Tomcat.addServlet(context, "dialogue", app.new DialogueServlet());
            context.addServletMappingDecoded("/*", "dialogue");
            io.grpc.Server grpc = grpcPort < 0 ? null : io.grpc.Grpc.newServerBuilderForPort(grpcPort,
                            io.grpc.InsecureServerCredentials.create())
                    .addService(io.grpc.ServerServiceDefinition.builder(DialogueGrpc.SERVICE)
                            .addMethod(DialogueGrpc.REPLY, io.grpc.stub.ServerCalls.asyncUnaryCall(
                                    (request, answer) -> {
                                        try {
                                            JsonNode body = JSON.readTree(request);
                                            answer.onNext(CompletableFuture.supplyAsync(() -> app.reply(body),
                                                    app.llmPool).join());
                                            app.answered.incrementAndGet();
                                            answer.onCompleted();
                                        } catch (IOException | RuntimeException e) {
                                            answer.onError(io.grpc.Status.INTERNAL.withDescription(e.toString())
                                                    .asRuntimeException());
                                        }
                                    }))
                            .build())
                    .build().start();
            tomcat.start();
            System.out.println("dialogue listening on " + port);
            app.stop.await();
            if (grpc != null) {
                grpc.shutdown().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            tomcat.stop();
            tomcat.destroy();
            app.llmPool.shutdownNow();
            client.close();
            System.out.println("dialogue answered " + app.answered.get() + " requests");
        }
    }

    /** The service's one servlet, as a Spring MVC dispatcher or any servlet would sit in a container. */
    private final class DialogueServlet extends HttpServlet {

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/ready".equals(request.getRequestURI())) {
                response.sendError(404);
                return;
            }
            response.setContentType("text/plain");
            response.getWriter().write("ready");
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("/shutdown".equals(request.getRequestURI())) {
                response.setStatus(204);
                stop.countDown();
                return;
            }
            if (!"/reply".equals(request.getRequestURI())) {
                response.sendError(404);
                return;
            }
            JsonNode body = JSON.readTree(request.getInputStream());
            String traceparent = request.getHeader("traceparent");
            // The model is asked on a pool of the service's own, as services keep request threads free.
            String reply = CompletableFuture.supplyAsync(() -> reply(body), llmPool).join();
            answered.incrementAndGet();
            if (traceparent != null) {
                response.setHeader("x-received-traceparent", traceparent);
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String reply(JsonNode body) {
        return client.chat().completions().create(chatParams(body)).choices().get(0).message().content().orElse("");
    }

    /** The model request for a {@code POST /reply} body: the caller's system prompt, then the history. */
    static ChatCompletionCreateParams chatParams(JsonNode body) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage(CallCentreScript.systemPrompt(body.path("caller").asInt()));
        int i = 0;
        for (JsonNode message : body.path("history")) {
            if (i++ % 2 == 0) {
                params.addUserMessage(message.asText());
            } else {
                params.addAssistantMessage(message.asText());
            }
        }
        return params.build();
    }
}
