package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * ElevenLabs' multi-context stream-input socket ({@code /multi-stream-input}) as a loopback
 * stand-in: text is buffered per {@code context_id}; a {@code flush} is answered with that
 * context's PCM audio (20 ms of 16 kHz audio per character, in chunks naming the
 * {@code contextId}); {@code close_context} speaks what is left and ends the context with
 * {@code isFinal}; {@code close_socket} closes.
 */
final class ElevenLabsMultiStreamStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int BYTES_PER_CHARACTER = 640;
    private static final int CHUNK = 8000;

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) {
        connection.state = new HashMap<String, StringBuilder>();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        Map<String, StringBuilder> contexts = (Map<String, StringBuilder>) connection.state;
        JsonNode message = JSON.readTree(text);
        if (message.path("close_socket").asBoolean(false)) {
            connection.close(1000);
            return;
        }
        String id = message.path("context_id").asText("default");
        StringBuilder buffered = contexts.computeIfAbsent(id, c -> new StringBuilder());
        String chunk = message.path("text").asText("");
        if (!chunk.trim().isEmpty()) {
            buffered.append(chunk);
        }
        boolean close = message.path("close_context").asBoolean(false);
        if (message.path("flush").asBoolean(false) || close) {
            speak(connection, id, buffered.toString());
            buffered.setLength(0);
        }
        if (close) {
            contexts.remove(id);
            connection.sendText(JSON.writeValueAsString(JSON.createObjectNode().put("isFinal", true)
                    .put("contextId", id)));
        }
    }

    private static void speak(LoopbackWebSocketServer.Connection connection, String context, String text)
            throws IOException {
        int total = text.codePointCount(0, text.length()) * BYTES_PER_CHARACTER;
        for (int sent = 0; sent < total; sent += CHUNK) {
            byte[] audio = new byte[Math.min(CHUNK, total - sent)];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = (byte) (sent + i);
            }
            ObjectNode message = JSON.createObjectNode().put("audio", Base64.getEncoder().encodeToString(audio));
            ObjectNode alignment = message.putObject("normalizedAlignment");
            alignment.putArray("charStartTimesMs").add(0).add(20);
            alignment.putArray("charDurationsMs").add(20).add(20);
            alignment.putArray("chars").add("a").add("b");
            message.putNull("alignment");
            message.put("contextId", context);
            connection.sendText(JSON.writeValueAsString(message));
        }
    }
}
