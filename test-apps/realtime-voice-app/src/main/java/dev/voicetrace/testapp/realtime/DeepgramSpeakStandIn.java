package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Deepgram's streaming text-to-speech socket ({@code /v1/speak}) as a loopback stand-in:
 * {@code Metadata} on connect; {@code Speak} texts are buffered and each {@code Flush} is answered
 * with raw linear16 audio (20 ms at 24 kHz per character, in binary frames) and {@code Flushed};
 * {@code Close} closes.
 */
final class DeepgramSpeakStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int BYTES_PER_CHARACTER = 960;
    private static final int CHUNK = 9600;

    private static final class State {
        final StringBuilder text = new StringBuilder();
        int flushes;
    }

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) throws IOException {
        connection.state = new State();
        connection.sendText(JSON.writeValueAsString(JSON.createObjectNode().put("type", "Metadata")
                .put("request_id", java.util.UUID.nameUUIDFromBytes(("dgs" + System.nanoTime()).getBytes()).toString())
                .put("model_name", connection.query.getOrDefault("model", "aura-asteria-en"))
                .put("model_version", "2025-04-07.0").put("model_uuid", "ecb76e9d-f2ad-4b70-bd5b-5a0a2b1c3d4e")));
    }

    @Override
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        State state = (State) connection.state;
        JsonNode message = JSON.readTree(text);
        switch (message.path("type").asText()) {
            case "Speak":
                state.text.append(message.path("text").asText());
                break;
            case "Flush": {
                int total = state.text.codePointCount(0, state.text.length()) * BYTES_PER_CHARACTER;
                for (int sent = 0; sent < total; sent += CHUNK) {
                    connection.sendBinary(new byte[Math.min(CHUNK, total - sent)]);
                }
                state.text.setLength(0);
                connection.sendText("{\"type\":\"Flushed\",\"sequence_id\":" + (state.flushes++) + "}");
                break;
            }
            case "Close":
                connection.close(1000);
                break;
            default:
                break;
        }
    }
}
