package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.testapp.realtime.DeepgramLiveStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One call whose speech is transcribed live by Deepgram, one socket for the whole call, over
 * OkHttp's WebSocket or the JDK's ({@code java.net.http.WebSocket}): each turn, the caller's audio
 * streams to the socket; the socket's listener gathers the final results, and when the utterance
 * ends ({@code speech_final}, or {@code UtteranceEnd}) it hands the words to the turn's handling,
 * which answers on the application's pools; the caller speaks again once the answer has been
 * spoken.
 */
final class DeepgramLiveCall {

    /** A demo key, sent only to the loopback stand-in; it must never be exported. */
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-gateway-5b7d9f1a3c2e4860";
    /** How long each turn's audio is. */
    private static final int UTTERANCE_MILLIS = 2000;
    private static final String QUERY = "?model=nova-3&interim_results=true&endpointing=300&utterance_end_ms=1000";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The WebSocket client a call's socket is opened with. */
    interface SocketClient {
        /** Opens a socket to {@code url} whose text messages go to {@code call}. */
        Socket open(String url, DeepgramLiveCall call) throws Exception;
    }

    /** The sending side of an open socket. */
    interface Socket {
        void sendAudio(byte[] audio) throws Exception;

        void sendText(String text) throws Exception;
    }

    private final Function<String, CompletableFuture<Integer>> answer;
    private final StringBuilder words = new StringBuilder();
    /** The answers of the utterances heard, in order: the listener adds, the caller's thread takes. */
    private final BlockingQueue<CompletableFuture<Integer>> answers = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** @param answer what the application does with an utterance's words; completes once the reply is spoken */
    private DeepgramLiveCall(Function<String, CompletableFuture<Integer>> answer) {
        this.answer = answer;
    }

    /**
     * Runs the call on this thread: opens the socket (in the thread's context, so the call's
     * session), streams {@code turns} utterances of {@code caller}, each after the previous one is
     * answered, and closes the stream.
     */
    static void run(SocketClient client, String listenUrl, int caller, int turns,
                    Function<String, CompletableFuture<Integer>> answer) throws Exception {
        DeepgramLiveCall call = new DeepgramLiveCall(answer);
        Socket socket = client.open(listenUrl + QUERY, call);
        for (int turn = 1; turn <= turns; turn++) {
            // The caller's words, as audio the stand-in transcribes back to them (WAV, as Deepgram accepts containers).
            byte[] audio = WavAudio.saying(CallCentreScript.utterance(caller, turn), UTTERANCE_MILLIS);
            int frames = DeepgramLiveStandIn.FRAMES_PER_UTTERANCE;
            int frameBytes = (audio.length + frames - 1) / frames;
            for (int frame = 0; frame < frames; frame++) {
                int from = Math.min(audio.length, frame * frameBytes);
                socket.sendAudio(Arrays.copyOfRange(audio, from, Math.min(audio.length, from + frameBytes)));
            }
            CompletableFuture<Integer> answered = call.answers.poll(30, TimeUnit.SECONDS);
            if (answered == null) {
                throw new IllegalStateException("caller " + caller + " turn " + turn + ": the utterance never ended");
            }
            answered.get(30, TimeUnit.SECONDS);
        }
        socket.sendText("{\"type\":\"CloseStream\"}");
        call.closed.get(30, TimeUnit.SECONDS);
    }

    /** The application's Deepgram listener: finals gathered until the utterance ends, then its words answered. */
    private void onMessage(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            String type = message.path("type").asText();
            if (type.equals("Results") && message.path("is_final").asBoolean()) {
                String part = message.path("channel").path("alternatives").path(0).path("transcript").asText();
                if (!part.isEmpty()) {
                    words.append(words.length() == 0 ? "" : " ").append(part);
                }
            }
            boolean ended = (type.equals("Results") && message.path("speech_final").asBoolean())
                    || type.equals("UtteranceEnd");
            if (ended && words.length() > 0) {
                String heard = words.toString();
                words.setLength(0);
                answers.add(answer.apply(heard));
            }
        } catch (Exception e) {
            answers.add(CompletableFuture.failedFuture(e));
        }
    }

    private void onFailure(Throwable error) {
        answers.add(CompletableFuture.failedFuture(error));
        closed.completeExceptionally(error);
    }

    /** OkHttp's WebSocket client. */
    static SocketClient okHttp(OkHttpClient okhttp) {
        return (url, call) -> {
            WebSocket socket = okhttp.newWebSocket(new Request.Builder().url(url)
                    .header("Authorization", "Token " + DEEPGRAM_KEY).build(), new WebSocketListener() {
                        @Override
                        public void onMessage(WebSocket webSocket, String text) {
                            call.onMessage(text);
                        }

                        @Override
                        public void onClosing(WebSocket webSocket, int code, String reason) {
                            webSocket.close(1000, null);
                        }

                        @Override
                        public void onClosed(WebSocket webSocket, int code, String reason) {
                            call.closed.complete(null);
                        }

                        @Override
                        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                            call.onFailure(t);
                        }
                    });
            return new Socket() {
                @Override
                public void sendAudio(byte[] audio) {
                    socket.send(ByteString.of(audio));
                }

                @Override
                public void sendText(String text) {
                    socket.send(text);
                }
            };
        };
    }

    /** The JDK's WebSocket client: one send outstanding at a time, messages that may arrive in parts. */
    static SocketClient jdk(HttpClient http) {
        return (url, call) -> {
            java.net.http.WebSocket socket = http.newWebSocketBuilder()
                    .header("Authorization", "Token " + DEEPGRAM_KEY)
                    .buildAsync(URI.create(url), new java.net.http.WebSocket.Listener() {
                        private final StringBuilder parts = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data,
                                                         boolean last) {
                            parts.append(data);
                            if (last) {
                                String text = parts.toString();
                                parts.setLength(0);
                                call.onMessage(text);
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode,
                                                          String reason) {
                            call.closed.complete(null);
                            return null;
                        }

                        @Override
                        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
                            call.onFailure(error);
                        }
                    }).get(10, TimeUnit.SECONDS);
            return new Socket() {
                @Override
                public void sendAudio(byte[] audio) throws Exception {
                    socket.sendBinary(ByteBuffer.wrap(audio), true).get(10, TimeUnit.SECONDS);
                }

                @Override
                public void sendText(String text) throws Exception {
                    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                }
            };
        };
    }
}
