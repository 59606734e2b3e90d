package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Sockets that go wrong, over the JDK's WebSocket, one after another: Deepgram live results with
 * frames that are not JSON in between (the application skips them); an ElevenLabs listener that
 * throws on the first audio chunk it gets; an ElevenLabs socket the service closes with 1011
 * (internal error) while the speech streams. Each prints what the application saw, so that a run with the agent can be compared.
 */
final class FaultCalls {

    static final String DEEPGRAM_KEY = "dg-test-voicetrace-faults-2b4d6f8a0c1e3579";
    static final String ELEVENLABS_KEY = "xi-test-voicetrace-faults-9a7c5e3b1d2f4680";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final int port;
    private final StringBuilder out = new StringBuilder();

    FaultCalls(HttpClient client, int port) {
        this.client = client;
        this.port = port;
    }

    String run() throws Exception {
        malformedFrames();
        listenerThrows();
        connectionBreaks();
        return out.toString();
    }

    /** One utterance to Deepgram; the stand-in slips three frames that are not JSON objects in. */
    private void malformedFrames() throws Exception {
        StringBuilder words = new StringBuilder();
        int[] skipped = {0};
        CompletableFuture<String> heard = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        StringBuilder parts = new StringBuilder();
        WebSocket socket = client.newWebSocketBuilder().header("Authorization", "Token " + DEEPGRAM_KEY)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/listen?model=nova-3&encoding=linear16"
                        + "&sample_rate=16000&interim_results=true&fault=malformed"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                parts.append(data);
                                if (last) {
                                    String text = parts.toString();
                                    parts.setLength(0);
                                    try {
                                        JsonNode message = JSON.readTree(text);
                                        if (!message.isObject()) {
                                            throw new java.io.IOException("not an object");
                                        }
                                        if (message.path("is_final").asBoolean()) {
                                            String part = message.path("channel").path("alternatives").path(0)
                                                    .path("transcript").asText();
                                            words.append(words.length() == 0 ? "" : " ").append(part);
                                        }
                                        if (message.path("speech_final").asBoolean()) {
                                            heard.complete(words.toString());
                                        }
                                    } catch (java.io.IOException e) {
                                        skipped[0]++;
                                    }
                                }
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        byte[] pcm = new byte[3200];
        for (int frame = 0; frame < DeepgramLiveStandIn.FRAMES_PER_UTTERANCE; frame++) {
            socket.sendBinary(ByteBuffer.wrap(pcm), true).get(10, TimeUnit.SECONDS);
        }
        line("malformed: heard: " + heard.get(30, TimeUnit.SECONDS));
        socket.sendText("{\"type\":\"CloseStream\"}", true).get(10, TimeUnit.SECONDS);
        line("malformed: closed " + closed.get(30, TimeUnit.SECONDS) + ", frames skipped: " + skipped[0]);
    }

    /** The application's listener throws on the first audio chunk: the client reports it to onError. */
    private void listenerThrows() throws Exception {
        CompletableFuture<String> failed = new CompletableFuture<>();
        WebSocket socket = speechSocket("", new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                throw new IllegalStateException("the player refused the audio");
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                failed.complete(error.getClass().getSimpleName() + ": " + error.getMessage());
            }
        });
        speak(socket, "Your table is booked for eight.");
        line("listener throws: onError got " + failed.get(30, TimeUnit.SECONDS));
    }

    /** The service closes the socket with an error code after the first chunk of speech. */
    private void connectionBreaks() throws Exception {
        CompletableFuture<String> failed = new CompletableFuture<>();
        long[] bytes = {0};
        WebSocket socket = speechSocket("&fault=drop", new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                bytes[0] += data.length();
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                failed.complete("closed " + statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                failed.complete("failed with " + error.getClass().getSimpleName());
            }
        });
        speak(socket, "The museum opens at ten tomorrow.");
        line("service fails: " + failed.get(30, TimeUnit.SECONDS) + " after " + (bytes[0] > 0 ? "some" : "no")
                + " audio");
    }

    private WebSocket speechSocket(String fault, WebSocket.Listener listener) throws Exception {
        return client.newWebSocketBuilder().header("xi-api-key", ELEVENLABS_KEY)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/"
                        + "stream-input?model_id=eleven_flash_v2_5&output_format=pcm_16000" + fault), listener)
                .get(10, TimeUnit.SECONDS);
    }

    private static void speak(WebSocket socket, String text) throws Exception {
        socket.sendText("{\"text\":\" \"}", true).get(10, TimeUnit.SECONDS);
        socket.sendText(JSON.writeValueAsString(JSON.createObjectNode().put("text", text + " ").put("flush", true)),
                true).get(10, TimeUnit.SECONDS);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
