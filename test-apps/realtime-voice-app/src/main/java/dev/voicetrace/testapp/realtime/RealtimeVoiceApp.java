package dev.voicetrace.testapp.realtime;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Voice calls over real-time WebSockets against the embedded loopback stand-in, several at once
 * with the same words. Each call's lines are printed together, in call order, so that the output
 * does not depend on how the calls interleave.
 *
 * <p>Options: {@code --calls N} (default 3).
 */
public final class RealtimeVoiceApp {

    private RealtimeVoiceApp() {}

    public static void main(String[] args) throws Exception {
        int calls = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--calls")) {
                calls = Integer.parseInt(args[++i]);
            }
        }
        OpenAiRealtimeStandIn openAi = new OpenAiRealtimeStandIn();
        try (LoopbackWebSocketServer server = new LoopbackWebSocketServer(
                path -> path.equals("/v1/realtime") ? openAi : null)) {
            HttpClient client = HttpClient.newHttpClient();
            ExecutorService pool = Executors.newFixedThreadPool(calls);
            List<Future<String>> results = new ArrayList<>();
            for (int call = 1; call <= calls; call++) {
                String name = "realtime call " + call;
                results.add(pool.submit(() -> new OpenAiRealtimeCall(client, server.port(), name).run()));
            }
            for (Future<String> result : results) {
                System.out.print(result.get());
            }
            pool.shutdown();
        }
        System.out.println("realtime done: " + calls + " calls");
    }
}
