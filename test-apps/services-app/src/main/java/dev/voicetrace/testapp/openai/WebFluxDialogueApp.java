package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The dialogue service of {@link DialogueServiceApp} on Spring WebFlux (functional routes, the
 * {@code HttpHandler} WebFlux builds for them) and Reactor Netty, without Spring Boot: the same
 * {@code POST /reply}, {@code GET /ready}, {@code POST /shutdown} and output. The reply is made as
 * reactive services make it: the request body is read on Netty's event loop, the pipeline hops to
 * Reactor's parallel scheduler ({@code publishOn}), and the blocking openai-java call runs on its
 * bounded-elastic scheduler ({@code Mono.fromCallable(...).subscribeOn(...)}).
 *
 * <p>Options: {@code --port P} (required). Output: {@code dialogue listening on P}, then
 * {@code dialogue answered N requests} when stopped.
 */
public final class WebFluxDialogueApp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAIClient client;
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch stop = new CountDownLatch(1);

    private WebFluxDialogueApp(OpenAIClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("unknown option " + args[i]);
                System.exit(2);
            }
        }
        if (port < 0) {
            System.err.println("--port P is required");
            System.exit(2);
        }
        try (MockOpenAiServer mock = new MockOpenAiServer().keepRequests(false).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey(DialogueServiceApp.FAKE_API_KEY)
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            WebFluxDialogueApp app = new WebFluxDialogueApp(client);
            HttpHandler handler = RouterFunctions.toHttpHandler(RouterFunctions.route()
                    .GET("/ready", request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue("ready"))
                    .POST("/reply", app::reply)
                    .POST("/shutdown", request -> {
                        app.stop.countDown();
                        return ServerResponse.noContent().build();
                    })
                    .build());
            DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                    .handle(new ReactorHttpHandlerAdapter(handler))
                    .bindNow();
            System.out.println("dialogue listening on " + port);
            app.stop.await();
            server.disposeNow();
            client.close();
            System.out.println("dialogue answered " + app.answered.get() + " requests");
        }
    }

    private Mono<ServerResponse> reply(ServerRequest request) {
        String traceparent = request.headers().firstHeader("traceparent");
        return request.bodyToMono(String.class)
                // Off the event loop, as a reactive service keeps it free.
                .publishOn(Schedulers.parallel())
                .flatMap(body -> Mono.fromCallable(() -> client.chat().completions()
                                .create(DialogueServiceApp.chatParams(JSON.readTree(body)))
                                .choices().get(0).message().content().orElse(""))
                        // The SDK blocks: it runs where blocking is allowed.
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(reply -> {
                    answered.incrementAndGet();
                    ServerResponse.BodyBuilder ok = ServerResponse.ok()
                            .contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8));
                    if (traceparent != null) {
                        ok.header("x-received-traceparent", traceparent);
                    }
                    return ok.bodyValue(reply);
                });
    }
}
