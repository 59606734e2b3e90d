package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One call through a cascaded voice pipeline, as a Java voice agent writes it: the caller's audio
 * streams to Deepgram's live transcription over OkHttp's WebSocket; at the end of each utterance
 * the listener hands the words to a worker pool, which asks an OpenAI chat model (openai-java,
 * streaming) and speaks the reply sentence by sentence through ElevenLabs' stream-input socket
 * over the JDK's WebSocket, one socket per reply.
 */
final class CascadedCall {

    /** Demo keys, sent only to the loopback stand-ins; they must never be exported. */
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-live-3a9c5e7f1b2d4068";
    static final String ELEVENLABS_KEY = "xi-test-voicetrace-stream-8e2b4d6f0a1c3957";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 100 ms of 16 kHz PCM16. */
    private static final int FRAME_BYTES = 3200;

    private final OkHttpClient okhttp;
    private final HttpClient jdk;
    private final OpenAIClient openai;
    private final ExecutorService workers;
    private final int port;
    private final String name;
    private final StringBuilder out = new StringBuilder();

    CascadedCall(OkHttpClient okhttp, HttpClient jdk, OpenAIClient openai, ExecutorService workers, int port,
                 String name) {
        this.okhttp = okhttp;
        this.jdk = jdk;
        this.openai = openai;
        this.workers = workers;
        this.port = port;
        this.name = name;
    }

    String run() throws Exception {
        Transcripts transcripts = new Transcripts();
        Request request = new Request.Builder()
                .url("ws://127.0.0.1:" + port + "/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000"
                        + "&channels=1&interim_results=true&endpointing=300&utterance_end_ms=1000")
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .build();
        WebSocket deepgram = okhttp.newWebSocket(request, transcripts);
        for (int turn = 1; turn <= DeepgramLiveStandIn.UTTERANCES.length; turn++) {
            byte[] pcm = new byte[FRAME_BYTES];
            for (int frame = 0; frame < DeepgramLiveStandIn.FRAMES_PER_UTTERANCE; frame++) {
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (byte) (i * 3 + frame);
                }
                deepgram.send(ByteString.of(pcm));
            }
            Turn done = transcripts.answers.next(30);
            line("turn " + turn + " heard: " + done.heard);
            line("turn " + turn + " reply: " + done.reply);
            line("turn " + turn + " speech bytes: " + done.speechBytes);
        }
        deepgram.send("{\"type\":\"CloseStream\"}");
        transcripts.closed.get(30, TimeUnit.SECONDS);
        line("closed");
        return out.toString();
    }

    private static final class Turn {
        final String heard;
        final String reply;
        final long speechBytes;

        Turn(String heard, String reply, long speechBytes) {
            this.heard = heard;
            this.reply = reply;
            this.speechBytes = speechBytes;
        }
    }

    /** The application's Deepgram listener: finals gathered until the utterance ends, then a worker answers. */
    private final class Transcripts extends WebSocketListener {
        private final StringBuilder words = new StringBuilder();
        final Answers<Turn> answers = new Answers<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onMessage(WebSocket webSocket, String text) {
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
                    CompletableFuture<Turn> answer = CompletableFuture.supplyAsync(() -> answer(heard), workers);
                    answers.started(answer);
                }
            } catch (Exception e) {
                answers.failed(e);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            closed.complete(null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            answers.failed(t);
            closed.completeExceptionally(t);
        }
    }

    /** Asks the model and speaks its reply as it streams, sentence by sentence. */
    private Turn answer(String heard) {
        try {
            Speech speech = new Speech();
            java.net.http.WebSocket tts = jdk.newWebSocketBuilder()
                    .header("xi-api-key", ELEVENLABS_KEY)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/"
                            + "stream-input?model_id=eleven_flash_v2_5&output_format=pcm_16000"), speech)
                    .get(10, TimeUnit.SECONDS);
            ObjectNode init = JSON.createObjectNode().put("text", " ");
            init.putObject("voice_settings").put("stability", 0.5).put("similarity_boost", 0.8).put("speed", 1.0);
            init.putObject("generation_config").putArray("chunk_length_schedule").add(120).add(160).add(250).add(290);
            init.put("xi_api_key", ELEVENLABS_KEY);
            tts.sendText(JSON.writeValueAsString(init), true).get(10, TimeUnit.SECONDS);

            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .addSystemMessage("You are a Lisbon travel guide on the phone. Answer in one sentence.")
                    .addUserMessage(heard)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build();
            StringBuilder reply = new StringBuilder();
            StringBuilder sentence = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params)) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        String delta = choice.delta().content().orElse("");
                        reply.append(delta);
                        sentence.append(delta);
                        String text = sentence.toString();
                        if (text.endsWith(".") || text.endsWith("?") || text.endsWith(",")) {
                            sendText(tts, text.trim() + " ");
                            sentence.setLength(0);
                        }
                    }
                }
            }
            if (sentence.toString().trim().length() > 0) {
                sendText(tts, sentence.toString().trim() + " ");
            }
            tts.sendText("{\"text\":\"\"}", true).get(10, TimeUnit.SECONDS);
            long bytes = speech.done.get(30, TimeUnit.SECONDS);
            return new Turn(heard, reply.toString(), bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendText(java.net.http.WebSocket tts, String text) throws Exception {
        ObjectNode chunk = JSON.createObjectNode().put("text", text).put("try_trigger_generation", true);
        tts.sendText(JSON.writeValueAsString(chunk), true).get(10, TimeUnit.SECONDS);
    }

    /** The application's ElevenLabs listener: audio decoded and counted until the socket closes. */
    private static final class Speech implements java.net.http.WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();
        private long bytes;
        final CompletableFuture<Long> done = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(parts.toString());
                    if (message.path("audio").isTextual()) {
                        bytes += Base64.getDecoder().decode(message.path("audio").asText()).length;
                    }
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
                parts.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            done.complete(bytes);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            done.completeExceptionally(error);
        }
    }

    private void line(String text) {
        out.append(name).append(' ').append(text).append('\n');
    }
}
