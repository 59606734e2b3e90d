package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One speech-to-speech call over OpenAI's Realtime API with the JDK's WebSocket client, as a
 * Java voice agent writes it (openai-java has no Realtime client): configure the session, stream
 * the caller's audio, run the tool the model calls, play the spoken answer, cut the model off
 * when the caller speaks over it (truncating what was not heard), close.
 */
final class OpenAiRealtimeCall {

    /** The demo key, sent only to the loopback stand-in; it must never be exported. */
    static final String API_KEY = "sk-test-voicetrace-realtime-7d3f9a2c5e1b8064";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 100 ms of 24 kHz PCM16. */
    private static final int FRAME_BYTES = 4800;

    private final HttpClient client;
    private final URI uri;
    private final StringBuilder out = new StringBuilder();
    private final String name;

    OpenAiRealtimeCall(HttpClient client, int port, String name) {
        this.client = client;
        this.uri = URI.create("ws://127.0.0.1:" + port + "/v1/realtime?model=gpt-realtime");
        this.name = name;
    }

    /** The call's transcript of events, for the application's output. */
    String run() throws Exception {
        Events events = new Events();
        WebSocket socket = client.newWebSocketBuilder()
                .header("Authorization", "Bearer " + API_KEY)
                .buildAsync(uri, events)
                .get(10, TimeUnit.SECONDS);
        events.await("session.created");
        socket.sendText(json(sessionUpdate("audio/pcm")), true).get(10, TimeUnit.SECONDS);
        events.await("session.updated");

        // turn 1: the caller asks; the model calls a tool; its answer is spoken
        sendAudio(socket, 15);
        String heard = events.await("conversation.item.input_audio_transcription.completed").path("transcript").asText();
        JsonNode done = events.await("response.done").path("response");
        JsonNode call = done.path("output").path(0);
        line("turn 1 heard: " + heard);
        line("turn 1 tool: " + call.path("name").asText() + " " + call.path("arguments").asText());
        ObjectNode output = JSON.createObjectNode().put("type", "conversation.item.create");
        output.putObject("item").put("type", "function_call_output").put("call_id", call.path("call_id").asText())
                .put("output", "{\"temp_c\":21,\"sky\":\"sunny\"}");
        socket.sendText(json(output), true).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"response.create\"}", true).get(10, TimeUnit.SECONDS);
        done = events.await("response.done").path("response");
        line("turn 1 reply: " + done.path("output").path(0).path("content").path(0).path("transcript").asText());
        line("turn 1 audio bytes: " + events.audioBytes);

        // turn 2: the caller asks again and speaks over the answer after two audio chunks
        events.audioBytes = 0;
        events.audioDeltas = 0;
        sendAudio(socket, 10);
        events.await("input_audio_buffer.committed");
        events.awaitAudioDeltas(2);
        long heardMs = events.audioBytes / 48;
        sendAudio(socket, 1);
        JsonNode started = events.await("input_audio_buffer.speech_started");
        ObjectNode truncate = JSON.createObjectNode().put("type", "conversation.item.truncate")
                .put("item_id", "item_A3").put("content_index", 0).put("audio_end_ms", heardMs);
        socket.sendText(json(truncate), true).get(10, TimeUnit.SECONDS);
        JsonNode cancelled = events.await("response.done").path("response");
        String heard2 = events.await("conversation.item.input_audio_transcription.completed").path("transcript").asText();
        events.await("conversation.item.truncated");
        line("turn 2 heard: " + heard2);
        line("turn 2 reply cut at " + heardMs + " ms: " + cancelled.path("status").asText() + " ("
                + cancelled.path("status_details").path("reason").asText() + ", caller spoke at "
                + started.path("audio_start_ms").asLong() + " ms)");

        // a configuration the service refuses
        socket.sendText(json(sessionUpdate("audio/pcm32")), true).get(10, TimeUnit.SECONDS);
        JsonNode error = events.await("error").path("error");
        line("error: " + error.path("type").asText() + " " + error.path("code").asText());

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        events.awaitClose();
        line("closed");
        return out.toString();
    }

    private void sendAudio(WebSocket socket, int frames) throws Exception {
        byte[] pcm = new byte[FRAME_BYTES];
        for (int frame = 0; frame < frames; frame++) {
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (byte) (i * 13 + frame);
            }
            String append = "{\"type\":\"input_audio_buffer.append\",\"audio\":\""
                    + Base64.getEncoder().encodeToString(pcm) + "\"}";
            socket.sendText(append, true).get(10, TimeUnit.SECONDS);
        }
    }

    private static ObjectNode sessionUpdate(String inputFormat) {
        ObjectNode update = JSON.createObjectNode().put("type", "session.update");
        ObjectNode session = update.putObject("session").put("type", "realtime").put("model", "gpt-realtime")
                .put("instructions", "You are a concise travel assistant. Answer in one sentence.");
        session.putArray("output_modalities").add("audio");
        ObjectNode audio = session.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", inputFormat).put("rate", 24000);
        input.putObject("transcription").put("model", "gpt-4o-transcribe").put("language", "en");
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("silence_duration_ms", 500);
        ObjectNode output = audio.putObject("output");
        output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        output.put("voice", "marin");
        ObjectNode tool = session.putArray("tools").addObject().put("type", "function").put("name", "get_weather")
                .put("description", "Current weather in a city");
        ObjectNode parameters = tool.putObject("parameters").put("type", "object");
        parameters.putObject("properties").putObject("city").put("type", "string");
        parameters.putArray("required").add("city");
        session.put("tool_choice", "auto");
        return update;
    }

    private void line(String text) {
        out.append(name).append(' ').append(text).append('\n');
    }

    private static String json(JsonNode node) throws Exception {
        return JSON.writeValueAsString(node);
    }

    /** The application's listener: whole events (reassembled from parts) in a queue; audio decoded and counted. */
    private static final class Events implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        private final StringBuilder parts = new StringBuilder();
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        volatile long audioBytes;
        volatile int audioDeltas;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                try {
                    JsonNode event = JSON.readTree(parts.toString());
                    if (event.path("type").asText().endsWith("output_audio.delta")) {
                        audioBytes += Base64.getDecoder().decode(event.path("delta").asText()).length;
                        audioDeltas++;
                    } else {
                        queue.add(event);
                    }
                } catch (Exception e) {
                    queue.add(JSON.createObjectNode().put("type", "unreadable"));
                }
                parts.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            queue.add(JSON.createObjectNode().put("type", "socket.error").put("message", String.valueOf(error)));
            closed.countDown();
        }

        JsonNode await(String type) throws InterruptedException {
            while (true) {
                JsonNode event = queue.poll(20, TimeUnit.SECONDS);
                if (event == null) {
                    throw new IllegalStateException("no " + type + " within 20 s");
                }
                if (event.path("type").asText().equals(type)) {
                    return event;
                }
                if (event.path("type").asText().equals("socket.error")) {
                    throw new IllegalStateException("socket failed: " + event);
                }
            }
        }

        void awaitAudioDeltas(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (audioDeltas < count && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
        }

        void awaitClose() throws InterruptedException {
            closed.await(10, TimeUnit.SECONDS);
        }
    }
}
