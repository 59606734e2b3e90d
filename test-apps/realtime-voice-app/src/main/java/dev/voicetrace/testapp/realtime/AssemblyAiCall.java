package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One call with AssemblyAI's Universal-Streaming over the JDK's WebSocket (a temporary token in
 * the URL, formatted turns): each turn is answered on the listener's own thread by an OpenAI chat
 * model (openai-java) and spoken through one Deepgram streaming text-to-speech socket over OkHttp
 * that stays open for the whole call, one {@code Flush} per reply.
 */
final class AssemblyAiCall {

    /** A demo temporary token and key, sent only to the loopback stand-ins; they must never be exported. */
    static final String TEMP_TOKEN = "aai-temp-token-voicetrace-5b7d9f1e3a2c4068";
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-speak-1f3e5d7c9b2a4860";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 50 ms of 16 kHz PCM16. */
    private static final int FRAME_BYTES = 1600;

    private final HttpClient jdk;
    private final OkHttpClient okhttp;
    private final OpenAIClient openai;
    private final int port;
    private final String name;
    private final StringBuilder out = new StringBuilder();
    private volatile CompletableFuture<Long> flushed;
    private volatile long speechBytes;

    AssemblyAiCall(HttpClient jdk, OkHttpClient okhttp, OpenAIClient openai, int port, String name) {
        this.jdk = jdk;
        this.okhttp = okhttp;
        this.openai = openai;
        this.port = port;
        this.name = name;
    }

    String run() throws Exception {
        CompletableFuture<Void> speakClosed = new CompletableFuture<>();
        WebSocket speak = okhttp.newWebSocket(new Request.Builder()
                .url("ws://127.0.0.1:" + port + "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000")
                .header("Authorization", "Token " + DEEPGRAM_KEY).build(), new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket webSocket, ByteString bytes) {
                        speechBytes += bytes.size();
                    }

                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        if (text.contains("\"Flushed\"") && flushed != null) {
                            flushed.complete(speechBytes);
                        }
                    }

                    @Override
                    public void onClosing(WebSocket webSocket, int code, String reason) {
                        webSocket.close(1000, null);
                    }

                    @Override
                    public void onClosed(WebSocket webSocket, int code, String reason) {
                        speakClosed.complete(null);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, okhttp3.Response response) {
                        speakClosed.completeExceptionally(t);
                    }
                });
        Turns turns = new Turns(speak);
        java.net.http.WebSocket stream = jdk.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v3/ws?sample_rate=16000&encoding=pcm_s16le"
                        + "&format_turns=true&speech_model=universal-streaming-english&token=" + TEMP_TOKEN), turns)
                .get(10, TimeUnit.SECONDS);
        for (int turn = 1; turn <= AssemblyAiStreamingStandIn.TURNS.length; turn++) {
            byte[] pcm = new byte[FRAME_BYTES];
            for (int frame = 0; frame < AssemblyAiStreamingStandIn.FRAMES_PER_TURN; frame++) {
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (byte) (i * 5 + frame);
                }
                stream.sendBinary(ByteBuffer.wrap(pcm), true).get(10, TimeUnit.SECONDS);
            }
            String[] done = turns.answers.next(30);
            line("turn " + turn + " heard: " + done[0]);
            line("turn " + turn + " reply: " + done[1]);
            line("turn " + turn + " speech bytes: " + done[2]);
        }
        stream.sendText("{\"type\":\"Terminate\"}", true).get(10, TimeUnit.SECONDS);
        turns.closed.get(30, TimeUnit.SECONDS);
        speak.send("{\"type\":\"Close\"}");
        speakClosed.get(30, TimeUnit.SECONDS);
        line("closed");
        return out.toString();
    }

    /** The AssemblyAI listener: each formatted end of turn is answered right here, on the listener's thread. */
    private final class Turns implements java.net.http.WebSocket.Listener {
        private final WebSocket speak;
        private final StringBuilder parts = new StringBuilder();
        final Answers<String[]> answers = new Answers<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Turns(WebSocket speak) {
            this.speak = speak;
        }

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                String text = parts.toString();
                parts.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.path("type").asText().equals("Turn") && message.path("end_of_turn").asBoolean()
                            && message.path("turn_is_formatted").asBoolean()) {
                        answers.started(CompletableFuture.completedFuture(answer(message.path("transcript").asText())));
                    }
                } catch (Exception e) {
                    answers.failed(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        private String[] answer(String heard) throws Exception {
            String reply = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .addSystemMessage("You are a Lisbon travel guide on the phone. Answer in one sentence.")
                    .addUserMessage(heard)
                    .build()).choices().get(0).message().content().orElse("");
            long before = speechBytes;
            flushed = new CompletableFuture<>();
            speak.send(JSON.writeValueAsString(JSON.createObjectNode().put("type", "Speak").put("text", reply)));
            speak.send("{\"type\":\"Flush\"}");
            long after = flushed.get(30, TimeUnit.SECONDS);
            return new String[] {heard, reply, Long.toString(after - before)};
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            answers.failed(error);
            closed.completeExceptionally(error);
        }
    }

    private void line(String text) {
        out.append(name).append(' ').append(text).append('\n');
    }
}
