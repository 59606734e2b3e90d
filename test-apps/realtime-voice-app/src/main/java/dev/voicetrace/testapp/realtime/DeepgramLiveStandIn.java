package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.UUID;
import java.util.function.Function;

/**
 * Deepgram's live transcription socket ({@code /v1/listen}) as a loopback stand-in: every 20
 * binary audio frames of 100 ms are one utterance, answered with interim results, finals and the
 * utterance's end (a final with {@code speech_final} for even utterances, {@code UtteranceEnd}
 * after the last final for odd ones); {@code CloseStream} is answered with {@code Metadata} and a
 * close. With the query parameter {@code fault=malformed}, three text frames that are not JSON
 * objects arrive in the middle of each utterance. The words of an utterance are those its audio
 * says, as a {@code hearing} given to the constructor finds them in the utterance's first frame;
 * without one (or when it finds none), the scripted {@link #UTTERANCES}, one after another.
 */
public final class DeepgramLiveStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] UTTERANCES = {"What should I do this afternoon in Lisbon?", "And what about dessert?"};
    public static final int FRAMES_PER_UTTERANCE = 20;

    private final Function<byte[], String> hearing;

    /** Transcribes the scripted utterances. */
    public DeepgramLiveStandIn() {
        this(audio -> null);
    }

    /** @param hearing the words an utterance's first audio frame says, or null for the next scripted utterance */
    public DeepgramLiveStandIn(Function<byte[], String> hearing) {
        this.hearing = hearing;
    }

    private static final class State {
        final String requestId = UUID.nameUUIDFromBytes(("dg" + System.nanoTime()).getBytes()).toString();
        int frames;
        long bytes;
        /** The words of the utterance being heard; null while it says none. */
        String words;
    }

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) {
        connection.state = new State();
    }

    @Override
    public void onBinary(LoopbackWebSocketServer.Connection connection, byte[] data) throws IOException {
        State state = (State) connection.state;
        state.frames++;
        state.bytes += data.length;
        int utterance = (state.frames - 1) / FRAMES_PER_UTTERANCE;
        int frame = (state.frames - 1) % FRAMES_PER_UTTERANCE + 1;
        if (frame == 1) {
            String heard = hearing.apply(data);
            state.words = heard != null ? heard : utterance < UTTERANCES.length ? UTTERANCES[utterance] : null;
        }
        if (state.words == null) {
            return;
        }
        String[] words = state.words.split(" ");
        int half = words.length / 2;
        String firstHalf = String.join(" ", java.util.Arrays.copyOfRange(words, 0, half));
        String secondHalf = String.join(" ", java.util.Arrays.copyOfRange(words, half, words.length));
        double base = utterance * 2.0;
        if (frame == 5) {
            send(connection, results(state, words[0].toLowerCase(), base, 0.5, false, false, 0.82));
        } else if (frame == 10) {
            send(connection, results(state, firstHalf.toLowerCase(), base, 1.0, false, false, 0.88));
        } else if (frame == 15) {
            if ("malformed".equals(connection.query.get("fault"))) {
                // what a broken proxy or a truncated write delivers: frames that are not JSON objects
                connection.sendText("{\"type\":\"Results\",\"channel\":{\"alternatives\":[{\"transcript\":\"cut");
                connection.sendText("<html><body>502 Bad Gateway</body></html>");
                connection.sendText("[\"Results\"]");
            }
            send(connection, results(state, firstHalf, base, 1.5, true, false, 0.98));
        } else if (frame == 18) {
            send(connection, results(state, secondHalf.toLowerCase(), base + 1.5, 0.3, false, false, 0.9));
        } else if (frame == 20) {
            boolean speechFinal = utterance % 2 == 0;
            send(connection, results(state, secondHalf, base + 1.5, 0.5, true, speechFinal, 0.96));
            if (!speechFinal) {
                ObjectNode end = JSON.createObjectNode().put("type", "UtteranceEnd");
                end.putArray("channel").add(0).add(1);
                end.put("last_word_end", base + 1.95);
                send(connection, end);
            }
        }
    }

    @Override
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        State state = (State) connection.state;
        String type = JSON.readTree(text).path("type").asText();
        if (type.equals("CloseStream")) {
            ObjectNode metadata = JSON.createObjectNode().put("type", "Metadata").put("transaction_key", "deprecated")
                    .put("request_id", state.requestId).put("sha256", "e3b0c44298fc1c149afbf4c8996fb924")
                    .put("created", "2026-11-30T10:00:00.000Z").put("duration", state.bytes / 32000.0)
                    .put("channels", 1);
            send(connection, metadata);
            connection.close(1000);
        }
    }

    private static ObjectNode results(State state, String transcript, double start, double duration, boolean isFinal,
                                      boolean speechFinal, double confidence) {
        ObjectNode results = JSON.createObjectNode().put("type", "Results");
        results.putArray("channel_index").add(0).add(1);
        results.put("duration", duration).put("start", start).put("is_final", isFinal).put("speech_final", speechFinal);
        ObjectNode alternative = results.putObject("channel").putArray("alternatives").addObject()
                .put("transcript", transcript).put("confidence", confidence);
        alternative.putArray("words");
        ObjectNode metadata = results.putObject("metadata").put("request_id", state.requestId);
        metadata.putObject("model_info").put("name", "2-general-nova").put("version", "2024-01-18.26916")
                .put("arch", "nova-3");
        metadata.put("model_uuid", "c0d1e2f3-a4b5-c6d7-e8f9-0a1b2c3d4e5f");
        results.put("from_finalize", false);
        return results;
    }

    private static void send(LoopbackWebSocketServer.Connection connection, ObjectNode message) throws IOException {
        connection.sendText(JSON.writeValueAsString(message));
    }
}
