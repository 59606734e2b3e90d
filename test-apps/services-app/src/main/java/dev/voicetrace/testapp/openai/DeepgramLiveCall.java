package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.testapp.realtime.DeepgramLiveStandIn;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
 * One call whose speech is transcribed live by Deepgram over OkHttp's WebSocket, one socket for
 * the whole call: each turn, the caller's audio streams to the socket; the socket's listener
 * gathers the final results, and when the utterance ends ({@code speech_final}, or
 * {@code UtteranceEnd}) it hands the words to the turn's handling, which answers on the
 * application's pools; the caller speaks again once the answer has been spoken.
 */
final class DeepgramLiveCall extends WebSocketListener {

    /** A demo key, sent only to the loopback stand-in; it must never be exported. */
    static final String DEEPGRAM_KEY = "dg-test-voicetrace-gateway-5b7d9f1a3c2e4860";
    /** How long each turn's audio is. */
    private static final int UTTERANCE_MILLIS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

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
    static void run(OkHttpClient okhttp, String listenUrl, int caller, int turns,
                    Function<String, CompletableFuture<Integer>> answer) throws Exception {
        DeepgramLiveCall call = new DeepgramLiveCall(answer);
        Request request = new Request.Builder()
                .url(listenUrl + "?model=nova-3&interim_results=true&endpointing=300&utterance_end_ms=1000")
                .header("Authorization", "Token " + DEEPGRAM_KEY)
                .build();
        WebSocket socket = okhttp.newWebSocket(request, call);
        for (int turn = 1; turn <= turns; turn++) {
            // The caller's words, as audio the stand-in transcribes back to them (WAV, as Deepgram accepts containers).
            byte[] audio = WavAudio.saying(CallCentreScript.utterance(caller, turn), UTTERANCE_MILLIS);
            int frames = DeepgramLiveStandIn.FRAMES_PER_UTTERANCE;
            int frameBytes = (audio.length + frames - 1) / frames;
            for (int frame = 0; frame < frames; frame++) {
                int from = Math.min(audio.length, frame * frameBytes);
                socket.send(ByteString.of(Arrays.copyOfRange(audio, from, Math.min(audio.length, from + frameBytes))));
            }
            CompletableFuture<Integer> answered = call.answers.poll(30, TimeUnit.SECONDS);
            if (answered == null) {
                throw new IllegalStateException("caller " + caller + " turn " + turn + ": the utterance never ended");
            }
            answered.get(30, TimeUnit.SECONDS);
        }
        socket.send("{\"type\":\"CloseStream\"}");
        call.closed.get(30, TimeUnit.SECONDS);
    }

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
                answers.add(answer.apply(heard));
            }
        } catch (Exception e) {
            answers.add(CompletableFuture.failedFuture(e));
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
        answers.add(CompletableFuture.failedFuture(t));
        closed.completeExceptionally(t);
    }
}
