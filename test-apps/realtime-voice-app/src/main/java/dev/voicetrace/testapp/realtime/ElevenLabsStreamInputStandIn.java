package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * ElevenLabs' stream-input socket as a loopback stand-in: text chunks are buffered; a
 * {@code flush} or the closing empty text is answered with PCM audio (20 ms of 16 kHz audio per
 * character, in chunks with their alignment); the closing empty text then ends with
 * {@code isFinal} and a close. With the query parameter {@code fault=drop}, the service closes the
 * socket with 1011 (internal error) after the first chunk of a generation's audio.
 */
final class ElevenLabsStreamInputStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int BYTES_PER_CHARACTER = 640;
    private static final int CHUNK = 8000;

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) {
        connection.state = new StringBuilder();
    }

    @Override
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        StringBuilder buffered = (StringBuilder) connection.state;
        JsonNode message = JSON.readTree(text);
        String chunk = message.path("text").asText("");
        if (!chunk.isEmpty() && !(buffered.length() == 0 && chunk.equals(" "))) {
            buffered.append(chunk);
        }
        boolean close = message.has("text") && chunk.isEmpty();
        if ((message.path("flush").asBoolean(false) || close) && "drop".equals(connection.query.get("fault"))) {
            // the service fails while the speech streams: a first chunk, then a close with 1011
            String text1 = buffered.toString();
            speak(connection, text1.substring(0, Math.min(text1.length(), 10)));
            connection.close(1011);
            return;
        }
        if (message.path("flush").asBoolean(false) || close) {
            speak(connection, buffered.toString());
            buffered.setLength(0);
        }
        if (close) {
            connection.sendText("{\"isFinal\":true}");
            connection.close(1000);
        }
    }

    private static void speak(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        int total = text.codePointCount(0, text.length()) * BYTES_PER_CHARACTER;
        for (int sent = 0; sent < total; sent += CHUNK) {
            byte[] audio = new byte[Math.min(CHUNK, total - sent)];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = (byte) (sent + i);
            }
            ObjectNode message = JSON.createObjectNode().put("audio", Base64.getEncoder().encodeToString(audio));
            message.putNull("isFinal");
            ObjectNode alignment = message.putObject("normalizedAlignment");
            alignment.putArray("charStartTimesMs").add(0).add(20);
            alignment.putArray("charsDurationsMs").add(20).add(20);
            alignment.putArray("chars").add("a").add("b");
            message.set("alignment", alignment.deepCopy());
            connection.sendText(JSON.writeValueAsString(message));
        }
    }
}
