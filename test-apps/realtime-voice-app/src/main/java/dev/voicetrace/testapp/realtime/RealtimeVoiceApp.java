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
 * <p>Options: {@code --calls N} (default 3), {@code --scenario realtime|cascaded|assemblyai|jakarta|faults|all}
 * (default all; {@code jakarta}: the cascaded pipeline over the Jakarta WebSocket client API, speech
 * through ElevenLabs multi-stream-input; {@code faults}, not in {@code all}: sockets that go wrong).
 */
public final class RealtimeVoiceApp {

    private RealtimeVoiceApp() {}

    public static void main(String[] args) throws Exception {
        int calls = 3;
        String scenario = "all";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--calls")) {
                calls = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--scenario")) {
                scenario = args[++i];
            }
        }
        OpenAiRealtimeStandIn openAi = new OpenAiRealtimeStandIn();
        DeepgramLiveStandIn deepgram = new DeepgramLiveStandIn();
        ElevenLabsStreamInputStandIn elevenLabs = new ElevenLabsStreamInputStandIn();
        AssemblyAiStreamingStandIn assemblyAi = new AssemblyAiStreamingStandIn();
        DeepgramSpeakStandIn deepgramSpeak = new DeepgramSpeakStandIn();
        ElevenLabsMultiStreamStandIn elevenLabsMulti = new ElevenLabsMultiStreamStandIn();
        try (LoopbackWebSocketServer server = new LoopbackWebSocketServer(path -> path.equals("/v1/realtime") ? openAi
                : path.equals("/v1/listen") ? deepgram
                : path.endsWith("/multi-stream-input") ? elevenLabsMulti
                : path.endsWith("/stream-input") ? elevenLabs
                : path.equals("/v3/ws") ? assemblyAi
                : path.equals("/v1/speak") ? deepgramSpeak : null);
             dev.voicetrace.standin.chat.MockChatCompletions chat = new dev.voicetrace.standin.chat.MockChatCompletions()) {
            HttpClient client = HttpClient.newHttpClient();
            ExecutorService pool = Executors.newFixedThreadPool(calls);
            if (scenario.equals("all") || scenario.equals("realtime")) {
                List<Future<String>> results = new ArrayList<>();
                for (int call = 1; call <= calls; call++) {
                    String name = "realtime call " + call;
                    results.add(pool.submit(() -> new OpenAiRealtimeCall(client, server.port(), name).run()));
                }
                for (Future<String> result : results) {
                    System.out.print(result.get());
                }
                System.out.println("realtime done: " + calls + " calls");
            }
            if (scenario.equals("all") || scenario.equals("cascaded")) {
                okhttp3.OkHttpClient okhttp = new okhttp3.OkHttpClient();
                com.openai.client.OpenAIClient openai = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                        .apiKey("sk-test-voicetrace-cascaded-0000000000000000").baseUrl(chat.baseUrl()).build();
                // the workers that answer utterances: the listener hands each one over
                ExecutorService workers = Executors.newFixedThreadPool(2 * calls);
                List<Future<String>> results = new ArrayList<>();
                for (int call = 1; call <= calls; call++) {
                    String name = "cascaded call " + call;
                    results.add(pool.submit(() -> new CascadedCall(okhttp, client, openai, workers, server.port(), name)
                            .run()));
                }
                for (Future<String> result : results) {
                    System.out.print(result.get());
                }
                System.out.println("cascaded done: " + calls + " calls");
                workers.shutdown();
                openai.close();
                okhttp.dispatcher().executorService().shutdown();
                okhttp.connectionPool().evictAll();
            }
            if (scenario.equals("all") || scenario.equals("assemblyai")) {
                okhttp3.OkHttpClient okhttp = new okhttp3.OkHttpClient();
                com.openai.client.OpenAIClient openai = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                        .apiKey("sk-test-voicetrace-assemblyai-000000000000").baseUrl(chat.baseUrl()).build();
                List<Future<String>> results = new ArrayList<>();
                for (int call = 1; call <= calls; call++) {
                    String name = "assemblyai call " + call;
                    results.add(pool.submit(() -> new AssemblyAiCall(client, okhttp, openai, server.port(), name).run()));
                }
                for (Future<String> result : results) {
                    System.out.print(result.get());
                }
                System.out.println("assemblyai done: " + calls + " calls");
                openai.close();
                okhttp.dispatcher().executorService().shutdown();
                okhttp.connectionPool().evictAll();
            }
            if (scenario.equals("all") || scenario.equals("jakarta")) {
                jakarta.websocket.WebSocketContainer container = jakarta.websocket.ContainerProvider.getWebSocketContainer();
                // audio chunks are larger than some implementations' default text buffer (Tomcat's 8 KiB)
                container.setDefaultMaxTextMessageBufferSize(1 << 20);
                com.openai.client.OpenAIClient openai = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                        .apiKey("sk-test-voicetrace-jakarta-0000000000000000").baseUrl(chat.baseUrl()).build();
                ExecutorService workers = Executors.newFixedThreadPool(2 * calls);
                List<Future<String>> results = new ArrayList<>();
                for (int call = 1; call <= calls; call++) {
                    String name = "jakarta call " + call;
                    results.add(pool.submit(() -> new com.example.voiceagent.JakartaCascadedCall(container, openai, workers,
                            server.port(), name, DeepgramLiveStandIn.UTTERANCES.length,
                            DeepgramLiveStandIn.FRAMES_PER_UTTERANCE).run()));
                }
                for (Future<String> result : results) {
                    System.out.print(result.get());
                }
                System.out.println("jakarta done: " + calls + " calls (" + container.getClass().getName() + ")");
                workers.shutdown();
                openai.close();
            }
            if (scenario.equals("faults")) {
                // not part of "all": sockets that fail on purpose
                System.out.print(new FaultCalls(client, server.port()).run());
                System.out.println("faults done");
            }
            pool.shutdown();
        }
    }
}
