package dev.voicetrace.testapp.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * OpenAI's Realtime API (GA event shapes) as a loopback stand-in, with server-side voice activity
 * detection played from a script: after 15 audio appends the caller's first turn is committed,
 * transcribed and answered with a function call; {@code response.create} after the function's
 * output is answered with spoken audio; after 10 more appends the second turn is answered, and an
 * append while that answer is playing is a barge-in that cancels it.
 */
final class OpenAiRealtimeStandIn implements LoopbackWebSocketServer.Handler {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TURN_1 = "What is the weather in Lisbon right now?";
    static final String REPLY_1 = "It is 21 degrees and sunny in Lisbon.";
    static final String TURN_2 = "Any good restaurants near the river?";
    static final String REPLY_2_CUT = "Sure, the best";
    static final int AUDIO_DELTA_BYTES = 9600;

    /** Per connection. */
    private static final class State {
        int appends;
        int phase;
        int events;
        String model = "gpt-realtime-2025-08-28";
        ObjectNode session;
    }

    private static final int TURN1 = 0;
    private static final int AWAITING_TOOL_OUTPUT = 1;
    private static final int TURN2 = 2;
    private static final int SPEAKING = 3;
    private static final int AFTER = 4;

    @Override
    public void onOpen(LoopbackWebSocketServer.Connection connection) throws IOException {
        State state = new State();
        connection.state = state;
        ObjectNode session = JSON.createObjectNode();
        session.put("type", "realtime").put("object", "realtime.session").put("id", "sess_" + Integer.toHexString(
                System.identityHashCode(connection))).put("model", state.model);
        session.putArray("output_modalities").add("audio");
        session.put("instructions", "").putArray("tools");
        session.put("tool_choice", "auto").put("max_output_tokens", "inf");
        ObjectNode audio = session.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        input.putNull("transcription");
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 200);
        ObjectNode output = audio.putObject("output");
        output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        output.put("voice", "alloy").put("speed", 1.0);
        state.session = session;
        send(connection, event(state, "session.created").set("session", session));
    }

    @Override
    public void onText(LoopbackWebSocketServer.Connection connection, String text) throws IOException {
        State state = (State) connection.state;
        JsonNode message = JSON.readTree(text);
        switch (message.path("type").asText()) {
            case "session.update":
                sessionUpdate(connection, state, message);
                break;
            case "input_audio_buffer.append":
                Base64.getDecoder().decode(message.path("audio").asText());
                state.appends++;
                onAudio(connection, state);
                break;
            case "conversation.item.create":
                send(connection, event(state, "conversation.item.added").put("previous_item_id", "item_F1")
                        .set("item", ((ObjectNode) message.path("item").deepCopy()).put("id", "item_O1")
                                .put("object", "realtime.item").put("status", "completed")));
                break;
            case "response.create":
                if (state.phase == AWAITING_TOOL_OUTPUT) {
                    speakReply(connection, state);
                }
                break;
            case "conversation.item.truncate":
                send(connection, event(state, "conversation.item.truncated")
                        .put("item_id", message.path("item_id").asText()).put("content_index", 0)
                        .put("audio_end_ms", message.path("audio_end_ms").asLong()));
                break;
            case "input_audio_buffer.clear":
                send(connection, event(state, "input_audio_buffer.cleared"));
                break;
            default:
                ObjectNode error = event(state, "error");
                error.putObject("error").put("type", "invalid_request_error").put("code", "unknown_event")
                        .put("message", "Unknown event type").putNull("param");
                send(connection, error);
        }
    }

    private void sessionUpdate(LoopbackWebSocketServer.Connection connection, State state, JsonNode message)
            throws IOException {
        JsonNode update = message.path("session");
        String format = update.path("audio").path("input").path("format").path("type").asText("audio/pcm");
        if (!format.equals("audio/pcm") && !format.equals("audio/pcmu") && !format.equals("audio/pcma")) {
            ObjectNode error = event(state, "error");
            error.putObject("error").put("type", "invalid_request_error").put("code", "invalid_value")
                    .put("message", "Invalid value: '" + format + "'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.")
                    .put("param", "session.audio.input.format.type")
                    .put("event_id", message.path("event_id").asText(null));
            send(connection, error);
            return;
        }
        ObjectNode session = state.session;
        update.fields().forEachRemaining(field -> {
            if (field.getKey().equals("audio")) {
                ObjectNode audio = (ObjectNode) session.get("audio");
                field.getValue().fields().forEachRemaining(side -> {
                    ObjectNode target = (ObjectNode) audio.get(side.getKey());
                    side.getValue().fields().forEachRemaining(setting -> target.set(setting.getKey(), setting.getValue()));
                });
            } else if (!field.getKey().equals("model")) {
                session.set(field.getKey(), field.getValue());
            }
        });
        send(connection, event(state, "session.updated").set("session", session));
    }

    private void onAudio(LoopbackWebSocketServer.Connection connection, State state) throws IOException {
        if (state.phase == TURN1 && state.appends == 15) {
            commitTurn(connection, state, "item_U1", 100, 1500);
            send(connection, event(state, "response.created").set("response", response("resp_1", "in_progress")));
            ObjectNode call = JSON.createObjectNode().put("id", "item_F1").put("type", "function_call")
                    .put("status", "in_progress").put("name", "get_weather").put("call_id", "call_W1").put("arguments", "");
            send(connection, event(state, "response.output_item.added").put("response_id", "resp_1").put("output_index", 0)
                    .set("item", call));
            String arguments = "{\"city\":\"Lisbon\"}";
            send(connection, event(state, "response.function_call_arguments.delta").put("response_id", "resp_1")
                    .put("item_id", "item_F1").put("output_index", 0).put("call_id", "call_W1").put("delta", arguments));
            send(connection, event(state, "response.function_call_arguments.done").put("response_id", "resp_1")
                    .put("item_id", "item_F1").put("output_index", 0).put("call_id", "call_W1").put("name", "get_weather")
                    .put("arguments", arguments));
            transcribe(connection, state, "item_U1", TURN_1, 23, 8);
            ObjectNode done = response("resp_1", "completed");
            ((ArrayNode) done.get("output")).addObject().put("id", "item_F1").put("type", "function_call")
                    .put("status", "completed").put("name", "get_weather").put("call_id", "call_W1")
                    .put("arguments", arguments);
            done.set("usage", usage(412, 392, 20, 0, 0, 0, 18, 0));
            send(connection, event(state, "response.done").set("response", done));
            state.phase = AWAITING_TOOL_OUTPUT;
        } else if (state.phase == TURN2 && state.appends == 10) {
            commitTurn(connection, state, "item_U2", 4100, 5100);
            send(connection, event(state, "response.created").set("response", response("resp_3", "in_progress")));
            send(connection, event(state, "response.output_item.added").put("response_id", "resp_3").put("output_index", 0)
                    .set("item", assistantItem("item_A3")));
            for (int i = 0; i < 2; i++) {
                send(connection, audioDelta(state, "resp_3", "item_A3", i));
            }
            state.phase = SPEAKING;
        } else if (state.phase == SPEAKING) {
            // the caller speaks over the answer: server VAD cancels it
            send(connection, event(state, "input_audio_buffer.speech_started").put("audio_start_ms", 5600)
                    .put("item_id", "item_U3"));
            ObjectNode done = response("resp_3", "cancelled");
            done.putObject("status_details").put("type", "cancelled").put("reason", "turn_detected");
            ObjectNode item = ((ArrayNode) done.get("output")).addObject().put("id", "item_A3").put("type", "message")
                    .put("status", "incomplete").put("role", "assistant");
            item.putArray("content").addObject().put("type", "output_audio").put("transcript", REPLY_2_CUT);
            done.set("usage", usage(700, 600, 100, 512, 448, 64, 10, 40));
            send(connection, event(state, "response.done").set("response", done));
            transcribe(connection, state, "item_U2", TURN_2, 14, 6);
            state.phase = AFTER;
        }
    }

    private void speakReply(LoopbackWebSocketServer.Connection connection, State state) throws IOException {
        send(connection, event(state, "response.created").set("response", response("resp_2", "in_progress")));
        send(connection, event(state, "response.output_item.added").put("response_id", "resp_2").put("output_index", 0)
                .set("item", assistantItem("item_A2")));
        String[] words = REPLY_1.split(" ");
        for (int i = 0; i < 6; i++) {
            send(connection, event(state, "response.output_audio_transcript.delta").put("response_id", "resp_2")
                    .put("item_id", "item_A2").put("output_index", 0).put("content_index", 0)
                    .put("delta", (i == 0 ? "" : " ") + words[i] + (i == 5 ? " " + words[6] + " " + words[7] : "")));
            ObjectNode delta = audioDelta(state, "resp_2", "item_A2", i);
            if (i == 2) {
                // one long event in three WebSocket frames: the client delivers it in parts
                connection.sendTextInParts(JSON.writeValueAsString(delta), 3);
            } else {
                send(connection, delta);
            }
        }
        send(connection, event(state, "response.output_audio.done").put("response_id", "resp_2").put("item_id", "item_A2")
                .put("output_index", 0).put("content_index", 0));
        send(connection, event(state, "response.output_audio_transcript.done").put("response_id", "resp_2")
                .put("item_id", "item_A2").put("output_index", 0).put("content_index", 0).put("transcript", REPLY_1));
        ObjectNode done = response("resp_2", "completed");
        ObjectNode item = ((ArrayNode) done.get("output")).addObject().put("id", "item_A2").put("type", "message")
                .put("status", "completed").put("role", "assistant");
        item.putArray("content").addObject().put("type", "output_audio").put("transcript", REPLY_1);
        done.set("usage", usage(460, 420, 40, 384, 364, 20, 12, 60));
        send(connection, event(state, "response.done").set("response", done));
        state.phase = TURN2;
        state.appends = 0;
    }

    private void commitTurn(LoopbackWebSocketServer.Connection connection, State state, String itemId, long startMs,
                            long endMs) throws IOException {
        send(connection, event(state, "input_audio_buffer.speech_started").put("audio_start_ms", startMs)
                .put("item_id", itemId));
        send(connection, event(state, "input_audio_buffer.speech_stopped").put("audio_end_ms", endMs)
                .put("item_id", itemId));
        send(connection, event(state, "input_audio_buffer.committed").putNull("previous_item_id").put("item_id", itemId));
        ObjectNode item = JSON.createObjectNode().put("id", itemId).put("type", "message").put("status", "completed")
                .put("role", "user");
        item.putArray("content").addObject().put("type", "input_audio").putNull("transcript");
        send(connection, event(state, "conversation.item.added").putNull("previous_item_id").set("item", item));
    }

    private void transcribe(LoopbackWebSocketServer.Connection connection, State state, String itemId, String words,
                            int inputTokens, int outputTokens) throws IOException {
        send(connection, event(state, "conversation.item.input_audio_transcription.delta").put("item_id", itemId)
                .put("content_index", 0).put("delta", words.substring(0, words.indexOf(' '))));
        ObjectNode completed = event(state, "conversation.item.input_audio_transcription.completed")
                .put("item_id", itemId).put("content_index", 0).put("transcript", words);
        ObjectNode usage = completed.putObject("usage").put("type", "tokens").put("total_tokens", inputTokens + outputTokens)
                .put("input_tokens", inputTokens);
        usage.putObject("input_token_details").put("text_tokens", 0).put("audio_tokens", inputTokens);
        usage.put("output_tokens", outputTokens);
        send(connection, completed);
    }

    private ObjectNode audioDelta(State state, String responseId, String itemId, int index) {
        byte[] audio = new byte[AUDIO_DELTA_BYTES];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i * 7 + index);
        }
        return event(state, "response.output_audio.delta").put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("content_index", 0).put("delta", Base64.getEncoder().encodeToString(audio));
    }

    private static ObjectNode assistantItem(String id) {
        ObjectNode item = JSON.createObjectNode().put("id", id).put("type", "message").put("status", "in_progress")
                .put("role", "assistant");
        item.putArray("content");
        return item;
    }

    private static ObjectNode response(String id, String status) {
        ObjectNode response = JSON.createObjectNode().put("object", "realtime.response").put("id", id)
                .put("status", status);
        response.putNull("status_details");
        response.putArray("output");
        response.put("conversation_id", "conv_1");
        response.putArray("output_modalities").add("audio");
        response.put("max_output_tokens", "inf");
        response.putNull("usage");
        response.putNull("metadata");
        return response;
    }

    private static ObjectNode usage(int input, int text, int audio, int cached, int cachedText, int cachedAudio,
                                    int outText, int outAudio) {
        ObjectNode usage = JSON.createObjectNode().put("total_tokens", input + outText + outAudio)
                .put("input_tokens", input).put("output_tokens", outText + outAudio);
        ObjectNode in = usage.putObject("input_token_details").put("text_tokens", text).put("audio_tokens", audio)
                .put("image_tokens", 0).put("cached_tokens", cached);
        in.putObject("cached_tokens_details").put("text_tokens", cachedText).put("audio_tokens", cachedAudio)
                .put("image_tokens", 0);
        usage.putObject("output_token_details").put("text_tokens", outText).put("audio_tokens", outAudio);
        return usage;
    }

    private static ObjectNode event(State state, String type) {
        return JSON.createObjectNode().put("type", type).put("event_id", "event_" + (++state.events));
    }

    private static void send(LoopbackWebSocketServer.Connection connection, ObjectNode event) throws IOException {
        connection.sendText(JSON.writeValueAsString(event));
    }
}
