package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * AssemblyAI's Universal-Streaming socket ({@code /v3/ws}) as a loopback stand-in: {@code Begin}
 * on connect; every 20 binary frames of 50 ms are one turn, answered with partial {@code Turn}
 * messages, the unformatted end of turn and, with {@code format_turns=true}, the formatted one;
 * {@code Terminate} is answered with {@code Termination} and a close.
 */
final class AssemblyAiStreamingStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] TURNS = {"Can you suggest a good place to have lunch near the river?",
        "And what about dessert?"};
    static final int FRAMES_PER_TURN = 20;

    private static final class State {
        int frames;
        long bytes;
        final long opened = System.nanoTime();
        boolean formatTurns;
    }

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) throws IOException {
        State state = new State();
        state.formatTurns = "true".equals(connection.query.get("format_turns"));
        connection.state = state;
        connection.sendText(JSON.writeValueAsString(JSON.createObjectNode().put("type", "Begin")
                .put("id", java.util.UUID.nameUUIDFromBytes(("aai" + System.nanoTime()).getBytes()).toString())
                .put("expires_at", 1_764_500_000L)));
    }

    @Override
    public void onBinary(LoopbackWebSocketServer.Connection connection, byte[] data) throws IOException {
        State state = (State) connection.state;
        state.frames++;
        state.bytes += data.length;
        int turn = (state.frames - 1) / FRAMES_PER_TURN;
        int frame = (state.frames - 1) % FRAMES_PER_TURN + 1;
        if (turn >= TURNS.length) {
            return;
        }
        String[] words = TURNS[turn].toLowerCase().replaceAll("[?,.]", "").split(" ");
        long base = turn * 1000L;
        if (frame == 6) {
            send(connection, turn(turn, words, 2, base, false, false, state));
        } else if (frame == 12) {
            send(connection, turn(turn, words, words.length / 2, base, false, false, state));
        } else if (frame == 20) {
            send(connection, turn(turn, words, words.length, base, true, false, state));
            if (state.formatTurns) {
                send(connection, turn(turn, TURNS[turn].split(" "), TURNS[turn].split(" ").length, base, true, true,
                        state));
            }
        }
    }

    private static ObjectNode turn(int order, String[] words, int count, long baseMs, boolean end, boolean formatted,
                                   State state) {
        ObjectNode turn = JSON.createObjectNode().put("turn_order", order).put("turn_is_formatted", formatted)
                .put("end_of_turn", end)
                .put("transcript", String.join(" ", java.util.Arrays.copyOfRange(words, 0, count)))
                .put("end_of_turn_confidence", end ? 0.93 : 0.01);
        ArrayNode list = turn.putArray("words");
        for (int i = 0; i < count; i++) {
            list.addObject().put("start", baseMs + i * 80).put("end", baseMs + i * 80 + 60).put("text", words[i])
                    .put("confidence", 0.9).put("word_is_final", true);
        }
        turn.put("utterance", end ? turn.path("transcript").asText() : "");
        turn.put("type", "Turn");
        return turn;
    }

    @Override
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        State state = (State) connection.state;
        if (JSON.readTree(text).path("type").asText().equals("Terminate")) {
            send(connection, JSON.createObjectNode().put("type", "Termination")
                    .put("audio_duration_seconds", state.bytes / 32000)
                    .put("session_duration_seconds", (System.nanoTime() - state.opened) / 1_000_000_000L));
            connection.close(1000);
        }
    }

    private static void send(LoopbackWebSocketServer.Connection connection, ObjectNode message) throws IOException {
        connection.sendText(JSON.writeValueAsString(message));
    }
}
