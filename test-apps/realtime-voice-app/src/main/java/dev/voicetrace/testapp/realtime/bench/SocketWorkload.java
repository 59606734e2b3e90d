package dev.voicetrace.testapp.realtime.bench;

import dev.voicetrace.testapp.realtime.LoopbackWebSocketServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import com.example.voiceagent.bench.CountingEndpoint;

/**
 * One benchmark child: Deepgram-style live transcription sockets over the JDK's WebSocket against
 * a loopback server in the same JVM. It measures the process's CPU time per audio frame sent
 * (3200 bytes, 100 ms of 16 kHz PCM16), per text event received ({@code Results} messages of
 * Deepgram's shape, three interim ones to one final, as a stream with interim results sends them)
 * and the heap retained per open socket, and prints them on one line:
 * {@code result cpu_per_frame_ns=... cpu_per_event_ns=... heap_per_socket_bytes=...}. With
 * {@code -Dbench.client=jakarta} the same sockets go through the Jakarta WebSocket client API
 * (whichever implementation {@code ContainerProvider} finds: Tyrus from the fat jar).
 */
public final class SocketWorkload {

    private static final String RESULTS = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.02,\"start\":%d.0,"
            + "\"is_final\":%s,\"speech_final\":false,\"channel\":{\"alternatives\":[{\"transcript\":\"what should i do "
            + "this afternoon in lisbon\",\"confidence\":0.91,\"words\":[{\"word\":\"what\",\"start\":0.1,\"end\":0.3,"
            + "\"confidence\":0.9,\"punctuated_word\":\"What\"},{\"word\":\"should\",\"start\":0.3,\"end\":0.5,"
            + "\"confidence\":0.9,\"punctuated_word\":\"should\"}]}]},\"metadata\":{\"request_id\":"
            + "\"7d1c2e9a-41f3-4c55-9d07-1b2c3d4e5f60\",\"model_info\":{\"name\":\"2-general-nova\",\"version\":"
            + "\"2024-01-18.26916\",\"arch\":\"nova-3\"},\"model_uuid\":\"c0d1e2f3-a4b5-c6d7-e8f9-0a1b2c3d4e5f\"},"
            + "\"from_finalize\":false}";

    private SocketWorkload() {}

    public static void main(String[] args) throws Exception {
        int sockets = Integer.getInteger("bench.sockets", 20);
        int frames = Integer.getInteger("bench.frames", 2000);
        int events = Integer.getInteger("bench.events", 1000);
        int idleSockets = Integer.getInteger("bench.idle.sockets", 200);
        try (LoopbackWebSocketServer server = new LoopbackWebSocketServer(path -> new LoopbackWebSocketServer.Handler() {
                @Override
                public void onText(LoopbackWebSocketServer.Connection connection, String text) throws java.io.IOException {
                    // {"type":"Finalize","n":N} asks for N interim results
                    int n = Integer.parseInt(text.replaceAll(".*\"n\":(\\d+).*", "$1"));
                    for (int i = 0; i < n; i++) {
                        connection.sendText(String.format(RESULTS, i, i % 4 == 3 ? "true" : "false"));
                    }
                    connection.sendText("{\"type\":\"Metadata\",\"request_id\":\"done\"}");
                }
            })) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/listen?model=nova-3&encoding=linear16"
                    + "&sample_rate=16000&interim_results=true");
            Client client = "jakarta".equals(System.getProperty("bench.client")) ? new JakartaClient()
                    : new JdkClient();
            // warm-up, then the timed runs
            run(client, uri, sockets, frames / 2, events / 2);
            long frameCpu = cpuOf(() -> run(client, uri, sockets, frames, 0));
            long eventCpu = cpuOf(() -> run(client, uri, sockets, 0, events));
            long baseCpu = cpuOf(() -> run(client, uri, sockets, 0, 0));
            double perFrame = (frameCpu - baseCpu) / (double) (sockets * (long) frames);
            double perEvent = (eventCpu - baseCpu) / (double) (sockets * (long) events);
            double perSocket = heapPerOpenSocket(client, uri, idleSockets);
            System.out.printf(java.util.Locale.ROOT, "result cpu_per_frame_ns=%.0f cpu_per_event_ns=%.0f heap_per_socket_bytes=%.0f%n",
                    perFrame, perEvent, perSocket);
        }
        System.exit(0);
    }

    interface Work {
        void run() throws Exception;
    }

    private static long cpuOf(Work work) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        work.run();
        // the agent's threads finish what the work queued
        Thread.sleep(300);
        return os.getProcessCpuTime() - before;
    }

    /** Opens {@code sockets}, streams {@code frames} audio frames on each and asks each for {@code events} results. */
    private static void run(Client client, URI uri, int sockets, int frames, int events) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            Thread thread = new Thread(() -> {
                try {
                    CountDownLatch received = new CountDownLatch(events + 1);
                    OpenSocket socket = client.open(uri, received);
                    ByteBuffer frame = ByteBuffer.allocate(3200);
                    for (int f = 0; f < frames; f++) {
                        frame.clear();
                        socket.sendBinary(frame);
                    }
                    socket.sendText("{\"type\":\"Finalize\",\"n\":" + events + "}");
                    received.await(60, TimeUnit.SECONDS);
                    socket.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Heap retained per open socket that has received one event, after full collections. */
    private static double heapPerOpenSocket(Client client, URI uri, int count) throws Exception {
        long before = usedAfterGc();
        List<OpenSocket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CountDownLatch received = new CountDownLatch(2);
            OpenSocket socket = client.open(uri, received);
            socket.sendBinary(ByteBuffer.allocate(3200));
            socket.sendText("{\"type\":\"Finalize\",\"n\":1}");
            received.await(10, TimeUnit.SECONDS);
            open.add(socket);
        }
        Thread.sleep(500);
        long after = usedAfterGc();
        for (OpenSocket socket : open) {
            socket.close();
        }
        return (after - before) / (double) count;
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** A WebSocket client library, as the workload uses it. */
    interface Client {
        /** Opens a socket whose received text messages count {@code received} down. */
        OpenSocket open(URI uri, CountDownLatch received) throws Exception;
    }

    interface OpenSocket {
        void sendBinary(ByteBuffer frame) throws Exception;

        void sendText(String text) throws Exception;

        void close() throws Exception;
    }

    /** The JDK's {@code java.net.http.WebSocket}. */
    private static final class JdkClient implements Client {
        private final HttpClient client = HttpClient.newHttpClient();

        @Override
        public OpenSocket open(URI uri, CountDownLatch received) throws Exception {
            WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, new Counting(received))
                    .get(10, TimeUnit.SECONDS);
            return new OpenSocket() {
                @Override
                public void sendBinary(ByteBuffer frame) throws Exception {
                    socket.sendBinary(frame, true).get(10, TimeUnit.SECONDS);
                }

                @Override
                public void sendText(String text) throws Exception {
                    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                }

                @Override
                public void close() throws Exception {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
                }
            };
        }
    }

    private static final class Counting implements WebSocket.Listener {
        final CountDownLatch received;

        Counting(CountDownLatch received) {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                received.countDown();
            }
            webSocket.request(1);
            return null;
        }
    }

    /** The Jakarta WebSocket client API: a programmatic endpoint with a message handler class. */
    private static final class JakartaClient implements Client {
        private final jakarta.websocket.WebSocketContainer container =
                jakarta.websocket.ContainerProvider.getWebSocketContainer();

        @Override
        public OpenSocket open(URI uri, CountDownLatch received) throws Exception {
            jakarta.websocket.Session session = container.connectToServer(new CountingEndpoint(received),
                    jakarta.websocket.ClientEndpointConfig.Builder.create().build(), uri);
            return new OpenSocket() {
                @Override
                public void sendBinary(ByteBuffer frame) throws Exception {
                    session.getBasicRemote().sendBinary(frame);
                }

                @Override
                public void sendText(String text) throws Exception {
                    session.getBasicRemote().sendText(text);
                }

                @Override
                public void close() throws Exception {
                    session.close();
                }
            };
        }
    }
}
