package dev.voicetrace.agent.openai;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketEvent;
import dev.voicetrace.agent.realtime.SocketInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One OpenAI Realtime socket, followed event by event on the processing thread.
 *
 * <p>The session configuration ({@code session.update} sent, {@code session.created} and
 * {@code session.updated} received) gives the model and its parameters. Each committed input
 * audio buffer is a caller turn: it gets a turn anchor, and its input transcription
 * ({@code conversation.item.input_audio_transcription.completed}) becomes a speech-to-text record
 * of the transcription model. Each response ({@code response.created} .. {@code response.done})
 * becomes one {@code realtime} generation in that turn: the caller's words and audio in, the
 * spoken reply's transcript, function calls and audio out, usage at text and audio rates, the
 * first output audio delta as completion start, and voice-to-voice from speech stopped.
 *
 * <p>Transcription runs beside the response and may finish after it; a response's record waits
 * for its turn's transcript (so that the turn is opened first), and a cancelled response waits
 * for the application's {@code conversation.item.truncate} that says how much of it was heard.
 * Waiting is bounded: a newer turn, a few responses more, or the socket's end release it.
 */
final class OpenAiRealtimeConversation implements SocketConversation {

    private static final JsonNodeFactory JSON = Json.NODES;
    static final String OPERATION = "realtime";
    static final String TRANSCRIPTION_OPERATION = "realtime.input_audio_transcription";
    /** Turns and responses remembered by id; older ones are forgotten. */
    private static final int MAX_REMEMBERED = 16;
    /** Finished responses waiting for their transcript or truncation, at most. */
    private static final int MAX_WAITING = 4;

    private final SocketInfo socket;
    private final SessionConfig config = new SessionConfig();
    private String vendorSessionId;
    /** The application's latest {@code session.update}, until the service confirms or refuses it. */
    private JsonNode pendingUpdate;

    private final Map<String, UserTurn> turns = bounded();
    private UserTurn currentTurn;
    private long speechStartedNanos;
    private long speechStoppedNanos;
    private long audioStartMs = -1;
    private long audioEndMs = -1;
    private long sentAudioBytesAtCommit;

    private final Map<String, Response> responses = bounded();
    /** Output item id -> its response, for truncation. */
    private final Map<String, Response> responseOfItem = bounded();
    private Response active;
    private final ArrayDeque<Response> waiting = new ArrayDeque<>();
    /** Function call outputs and user text the application added since the last response. */
    private final List<JsonNode> pendingInputs = new ArrayList<>(2);

    OpenAiRealtimeConversation(SocketInfo socket) {
        this.socket = socket;
        config.model = socket.query.get("model");
        if (config.model == null) {
            // Azure names its deployment instead
            config.model = socket.query.get("deployment");
        }
    }

    /** A caller's committed utterance. */
    private static final class UserTurn {
        final long anchor;
        String itemId;
        long startNanos;
        long speechStoppedNanos;
        long committedNanos;
        long audioBytes;
        long audioMs = -1;
        String transcript;
        boolean transcriptExpected;
        boolean transcribed;
        long firstDeltaNanos;
        boolean answeredAloud;

        UserTurn(long anchor) {
            this.anchor = anchor;
        }
    }

    private static final class Response {
        final String id;
        final long createdNanos;
        final UserTurn turn;
        final long receivedAudioAtStart;
        final List<JsonNode> inputs;
        long firstAudioNanos;
        long firstTextNanos;
        long doneNanos;
        long audioBytes;
        JsonNode body;
        String status;
        long heardMs = -1;
        boolean truncated;
        String error;

        Response(String id, long createdNanos, UserTurn turn, long receivedAudioAtStart, List<JsonNode> inputs) {
            this.id = id;
            this.createdNanos = createdNanos;
            this.turn = turn;
            this.receivedAudioAtStart = receivedAudioAtStart;
            this.inputs = inputs;
        }
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        String type = text(message, "type");
        if (type == null) {
            return;
        }
        if (event.kind == SocketEvent.Kind.SENT) {
            onSent(type, message, out);
        } else {
            noteOutputTimes(event);
            onReceived(type, event, message, out);
        }
    }

    private void onSent(String type, JsonNode message, Consumer<StageRecord> out) {
        switch (type) {
            case "session.update":
                // applied once the service confirms it (session.updated); an update it refuses is dropped
                pendingUpdate = message.path("session");
                break;
            case "conversation.item.create": {
                JsonNode item = message.path("item");
                String itemType = text(item, "type");
                if ("function_call_output".equals(itemType) || "message".equals(itemType)) {
                    if (pendingInputs.size() < 16) {
                        pendingInputs.add(item);
                    }
                }
                break;
            }
            case "conversation.item.truncate":
                truncate(text(message, "item_id"), message.path("audio_end_ms"), out);
                break;
            default:
                break;
        }
    }

    private void onReceived(String type, SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        switch (type) {
            case "session.created":
            case "session.updated": {
                JsonNode session = message.path("session");
                if (pendingUpdate != null && type.equals("session.updated")) {
                    config.apply(pendingUpdate);
                    pendingUpdate = null;
                }
                config.apply(session);
                if (vendorSessionId == null) {
                    vendorSessionId = text(session, "id");
                }
                break;
            }
            case "input_audio_buffer.speech_started":
                speechStartedNanos = event.epochNanos;
                speechStoppedNanos = 0;
                audioStartMs = message.path("audio_start_ms").asLong(-1);
                audioEndMs = -1;
                break;
            case "input_audio_buffer.speech_stopped":
                speechStoppedNanos = event.epochNanos;
                audioEndMs = message.path("audio_end_ms").asLong(-1);
                break;
            case "input_audio_buffer.committed":
                commit(event, message, out);
                break;
            case "conversation.item.input_audio_transcription.delta": {
                UserTurn turn = turns.get(text(message, "item_id"));
                if (turn != null && turn.firstDeltaNanos == 0) {
                    turn.firstDeltaNanos = event.epochNanos;
                }
                break;
            }
            case "conversation.item.input_audio_transcription.completed":
            case "conversation.item.input_audio_transcription.failed":
                transcribed(type.endsWith("failed"), event, message, out);
                break;
            case "conversation.item.truncated":
                truncate(text(message, "item_id"), message.path("audio_end_ms"), out);
                break;
            case "response.created":
                created(event, message.path("response"));
                break;
            case "response.output_item.added": {
                Response response = responses.get(text(message, "response_id"));
                String itemId = text(message.path("item"), "id");
                if (response != null && itemId != null) {
                    responseOfItem.put(itemId, response);
                }
                break;
            }
            case "response.done":
                done(event, message.path("response"), out);
                break;
            case "error":
                pendingUpdate = null;
                error(event, message.path("error"), out);
                break;
            default:
                break;
        }
    }

    /** The first audio delta (and text delta) since the previous received event went to the response in progress. */
    private void noteOutputTimes(SocketEvent event) {
        if (active == null) {
            return;
        }
        if (event.firstAudioNanos != 0 && active.firstAudioNanos == 0) {
            active.firstAudioNanos = event.firstAudioNanos;
        }
        if (event.firstMarkNanos != 0 && active.firstTextNanos == 0) {
            active.firstTextNanos = event.firstMarkNanos;
        }
    }

    private void commit(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        UserTurn turn = new UserTurn(event.turnAnchor != 0 ? event.turnAnchor : CallTracker.newTurnAnchor());
        turn.itemId = text(message, "item_id");
        turn.committedNanos = event.epochNanos;
        turn.startNanos = speechStartedNanos != 0 ? speechStartedNanos : event.epochNanos;
        turn.speechStoppedNanos = speechStoppedNanos != 0 ? speechStoppedNanos : event.epochNanos;
        turn.audioBytes = event.sentAudioBytes - sentAudioBytesAtCommit;
        sentAudioBytesAtCommit = event.sentAudioBytes;
        if (audioStartMs >= 0 && audioEndMs >= audioStartMs) {
            turn.audioMs = audioEndMs - audioStartMs;
        } else {
            turn.audioMs = config.inputAudioMs(turn.audioBytes);
        }
        turn.transcriptExpected = config.transcriptionModel != null;
        speechStartedNanos = 0;
        speechStoppedNanos = 0;
        audioStartMs = -1;
        audioEndMs = -1;
        // Responses of earlier turns wait no longer: this turn's records must not be held behind them.
        release(out, true);
        currentTurn = turn;
        if (turn.itemId != null) {
            turns.put(turn.itemId, turn);
        }
    }

    private void transcribed(boolean failed, SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        String itemId = text(message, "item_id");
        UserTurn turn = itemId == null ? null : turns.get(itemId);
        if (turn == null) {
            // a transcription of an item this socket did not see committed: a turn of its own
            turn = new UserTurn(CallTracker.newTurnAnchor());
            turn.itemId = itemId;
            turn.startNanos = event.epochNanos;
            turn.committedNanos = event.epochNanos;
        }
        if (turn.transcribed) {
            return;
        }
        turn.transcribed = true;
        StageRecord record = base(StageKind.STT, TRANSCRIPTION_OPERATION, config.transcriptionModel, turn);
        record.startEpochNanos = turn.startNanos;
        record.endEpochNanos = event.epochNanos;
        record.firstOutputEpochNanos = turn.firstDeltaNanos;
        record.modelParameters.putAll(config.transcriptionParameters());
        ObjectNode audio = JSON.objectNode();
        audio.put("format", config.inputFormat);
        audio.put("bytes", turn.audioBytes);
        if (turn.audioMs >= 0) {
            audio.put("duration_ms", turn.audioMs);
            record.metadata.put("audio_ms", Long.toString(turn.audioMs));
        }
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        record.input = input;
        if (failed) {
            JsonNode error = message.path("error");
            record.error = describeError(error, "input audio transcription failed");
        } else {
            turn.transcript = message.path("transcript").asText("");
            ObjectNode output = JSON.objectNode();
            output.put("text", turn.transcript);
            record.output = output;
            record.outputText = turn.transcript;
            transcriptionUsage(message.path("usage"), record);
        }
        putIfPresent(record, "item_id", itemId);
        out.accept(record);
        release(out, false);
    }

    private static void transcriptionUsage(JsonNode usage, StageRecord record) {
        if ("duration".equals(text(usage, "type")) && usage.path("seconds").isNumber()) {
            double seconds = usage.get("seconds").asDouble();
            record.audioSeconds = seconds;
            record.metadata.put("billed_audio_ms", Long.toString(Math.round(seconds * 1000)));
            return;
        }
        if (usage.path("input_tokens").isNumber()) {
            long input = usage.get("input_tokens").asLong();
            long output = usage.path("output_tokens").asLong(0);
            record.usage.put("input", input);
            record.usage.put("output", output);
            JsonNode audioTokens = usage.path("input_token_details").path("audio_tokens");
            if (audioTokens.isNumber()) {
                record.usage.put("input_audio_tokens", audioTokens.asLong());
            }
            record.usage.put("total", usage.path("total_tokens").asLong(input + output));
            putIfPresent(record, "usage_input_text_tokens",
                    numberText(usage.path("input_token_details").path("text_tokens")));
        }
    }

    private void created(SocketEvent event, JsonNode body) {
        String id = text(body, "id");
        List<JsonNode> inputs = new ArrayList<>(pendingInputs);
        pendingInputs.clear();
        Response response = new Response(id, event.epochNanos, currentTurn, event.receivedAudioBytes, inputs);
        if (event.firstAudioNanos != 0) {
            response.firstAudioNanos = event.firstAudioNanos;
        }
        active = response;
        if (id != null) {
            responses.put(id, response);
        }
    }

    private void done(SocketEvent event, JsonNode body, Consumer<StageRecord> out) {
        String id = text(body, "id");
        Response response = id == null ? null : responses.get(id);
        if (response == null) {
            // done without a created this socket saw: the response's times start here
            response = new Response(id, event.epochNanos, currentTurn, event.receivedAudioBytes,
                    new ArrayList<>(pendingInputs));
            pendingInputs.clear();
        }
        if (active == response) {
            active = null;
        }
        response.doneNanos = event.epochNanos;
        response.body = body;
        response.status = text(body, "status");
        response.audioBytes = event.receivedAudioBytes - response.receivedAudioAtStart;
        for (JsonNode item : body.path("output")) {
            String itemId = text(item, "id");
            if (itemId != null) {
                responseOfItem.put(itemId, response);
            }
        }
        if ("failed".equals(response.status)) {
            response.error = describeError(body.path("status_details").path("error"), "response failed");
        }
        waiting.addLast(response);
        release(out, false);
    }

    private void truncate(String itemId, JsonNode audioEndMs, Consumer<StageRecord> out) {
        Response response = itemId == null ? null : responseOfItem.get(itemId);
        if (response == null || !audioEndMs.isNumber()) {
            return;
        }
        response.heardMs = response.heardMs < 0 ? audioEndMs.asLong() : Math.min(response.heardMs, audioEndMs.asLong());
        response.truncated = true;
        release(out, false);
    }

    private void error(SocketEvent event, JsonNode error, Consumer<StageRecord> out) {
        StageRecord record = base(StageKind.LLM, OPERATION, config.model, currentTurn);
        record.startEpochNanos = event.epochNanos;
        record.endEpochNanos = event.epochNanos;
        record.modelParameters.putAll(config.parameters());
        record.error = describeError(error, "error");
        putIfPresent(record, "error_type", text(error, "type"));
        putIfPresent(record, "error_code", text(error, "code"));
        putIfPresent(record, "error_event_id", text(error, "event_id"));
        out.accept(record);
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        if (active != null) {
            Response response = active;
            active = null;
            response.doneNanos = event.epochNanos;
            response.audioBytes = event.receivedAudioBytes - response.receivedAudioAtStart;
            if (event.firstAudioNanos != 0 && response.firstAudioNanos == 0) {
                response.firstAudioNanos = event.firstAudioNanos;
            }
            response.status = "interrupted";
            if (event.kind == SocketEvent.Kind.FAILED) {
                response.error = event.error;
            }
            waiting.addLast(response);
        }
        while (!waiting.isEmpty()) {
            emit(waiting.removeFirst(), out);
        }
    }

    /**
     * Emits the waiting responses that may go, in order: those whose turn's transcript is known
     * (or will never come) and, when cancelled, whose truncation arrived. {@code force} lets the
     * first ones go regardless, as does a queue longer than its bound.
     */
    private void release(Consumer<StageRecord> out, boolean force) {
        while (!waiting.isEmpty()) {
            Response next = waiting.peekFirst();
            boolean ready = (next.turn == null || !next.turn.transcriptExpected || next.turn.transcribed)
                    && (!"cancelled".equals(next.status) || next.truncated);
            if (!ready && !force && waiting.size() <= MAX_WAITING) {
                return;
            }
            emit(waiting.removeFirst(), out);
        }
    }

    private void emit(Response response, Consumer<StageRecord> out) {
        UserTurn turn = response.turn;
        StageRecord record = base(StageKind.LLM, OPERATION, config.model, turn);
        record.startEpochNanos = response.createdNanos;
        record.endEpochNanos = response.doneNanos;
        record.firstOutputEpochNanos = response.firstAudioNanos != 0 ? response.firstAudioNanos
                : response.firstTextNanos;
        record.modelParameters.putAll(config.parameters());
        record.error = response.error;
        JsonNode body = response.body == null ? JSON.objectNode() : response.body;

        ObjectNode input = JSON.objectNode();
        ArrayNode messages = input.putArray("messages");
        if (config.instructions != null) {
            messages.addObject().put("role", "system").put("content", config.instructions);
        }
        if (turn != null && turn.transcript != null && isFirstResponseOf(response)) {
            messages.addObject().put("role", "user").put("content", turn.transcript);
            record.inputText = turn.transcript;
        }
        for (JsonNode item : response.inputs) {
            messages.add(inputMessage(item));
        }
        if (turn != null && isFirstResponseOf(response)) {
            ObjectNode audio = input.putObject("audio");
            audio.put("format", config.inputFormat);
            audio.put("bytes", turn.audioBytes);
            if (turn.audioMs >= 0) {
                audio.put("duration_ms", turn.audioMs);
            }
        }
        if (config.tools != null) {
            input.set("tools", config.tools);
        }
        record.input = input;

        ObjectNode output = JSON.objectNode();
        output.put("role", "assistant");
        StringBuilder spoken = new StringBuilder();
        ArrayNode toolCalls = null;
        for (JsonNode item : body.path("output")) {
            String itemType = text(item, "type");
            if ("message".equals(itemType)) {
                for (JsonNode part : item.path("content")) {
                    String words = part.has("transcript") ? text(part, "transcript") : text(part, "text");
                    if (words != null && !words.isEmpty()) {
                        if (spoken.length() > 0) {
                            spoken.append(' ');
                        }
                        spoken.append(words);
                    }
                }
            } else if ("function_call".equals(itemType)) {
                if (toolCalls == null) {
                    toolCalls = JSON.arrayNode();
                }
                ObjectNode call = toolCalls.addObject();
                call.put("id", text(item, "call_id"));
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", text(item, "name"));
                function.put("arguments", text(item, "arguments"));
            }
        }
        output.put("content", spoken.toString());
        if (toolCalls != null) {
            output.set("tool_calls", toolCalls);
        }
        ObjectNode audioOut = output.putObject("audio");
        audioOut.put("format", config.outputFormat);
        audioOut.put("bytes", response.audioBytes);
        long audioMs = config.outputAudioMs(response.audioBytes);
        if (audioMs >= 0) {
            audioOut.put("duration_ms", audioMs);
            record.metadata.put("audio_ms", Long.toString(audioMs));
        }
        if (response.heardMs >= 0) {
            audioOut.put("heard_ms", response.heardMs);
            record.metadata.put("audio_heard_ms", Long.toString(response.heardMs));
        }
        if (response.status != null) {
            output.put("status", response.status);
        }
        record.output = output;
        record.outputText = spoken.length() == 0 ? null : spoken.toString();

        responseUsage(body.path("usage"), record);
        record.metadata.put("audio_bytes_received", Long.toString(response.audioBytes));
        putIfPresent(record, "response_id", response.id);
        putIfPresent(record, "finish_reason", response.status);
        String reason = text(body.path("status_details"), "reason");
        putIfPresent(record, "status_reason", reason);
        if ("cancelled".equals(response.status) || "interrupted".equals(response.status)) {
            record.metadata.put("interrupted", "true");
        }
        if (turn != null && !turn.answeredAloud && response.firstAudioNanos > 0 && turn.speechStoppedNanos > 0
                && response.firstAudioNanos >= turn.speechStoppedNanos) {
            // the caller waits from the end of their speech to the first audio of the answer,
            // through any tool calls before it
            turn.answeredAloud = true;
            long micros = (response.firstAudioNanos - turn.speechStoppedNanos) / 1000;
            record.metadata.put("voice_to_voice_ms", Double.toString(micros / 1000.0));
        }
        out.accept(record);
    }

    /** Whether no earlier response of the socket answered the same turn (a tool call's follow-up is not). */
    private boolean isFirstResponseOf(Response response) {
        for (Response other : responses.values()) {
            if (other == response) {
                return true;
            }
            if (other.turn == response.turn) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode inputMessage(JsonNode item) {
        ObjectNode message = JSON.objectNode();
        if ("function_call_output".equals(text(item, "type"))) {
            message.put("role", "tool");
            message.put("tool_call_id", text(item, "call_id"));
            message.put("content", text(item, "output"));
            return message;
        }
        message.put("role", item.path("role").asText("user"));
        StringBuilder words = new StringBuilder();
        for (JsonNode part : item.path("content")) {
            String text = text(part, "text");
            if (text == null) {
                text = text(part, "transcript");
            }
            if (text != null) {
                words.append(words.length() == 0 ? "" : " ").append(text);
            }
        }
        message.put("content", words.toString());
        return message;
    }

    /**
     * Usage in the keys the price table reads, at text and audio rates: {@code input} is every
     * input token, {@code input_cached_tokens} the cached ones (text and audio, which the listed
     * models price alike), {@code input_audio_tokens} the uncached audio ones; {@code output} every
     * output token and {@code output_audio_tokens} the audio ones. The provider's own split is kept
     * in metadata.
     */
    static void responseUsage(JsonNode usage, StageRecord record) {
        if (!usage.path("input_tokens").isNumber() && !usage.path("output_tokens").isNumber()) {
            return;
        }
        JsonNode in = usage.path("input_token_details");
        JsonNode cachedDetails = in.path("cached_tokens_details");
        JsonNode outDetails = usage.path("output_token_details");
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        long cached = in.path("cached_tokens").asLong(0);
        long audio = in.path("audio_tokens").asLong(0);
        long cachedAudio = cachedDetails.path("audio_tokens").asLong(0);
        record.usage.put("input", input);
        if (cached > 0) {
            record.usage.put("input_cached_tokens", cached);
        }
        if (audio - cachedAudio > 0) {
            record.usage.put("input_audio_tokens", audio - cachedAudio);
        }
        record.usage.put("output", output);
        long outputAudio = outDetails.path("audio_tokens").asLong(0);
        if (outputAudio > 0) {
            record.usage.put("output_audio_tokens", outputAudio);
        }
        record.usage.put("total", usage.path("total_tokens").asLong(input + output));
        putIfPresent(record, "usage_input_text_tokens", numberText(in.path("text_tokens")));
        putIfPresent(record, "usage_input_audio_tokens", numberText(in.path("audio_tokens")));
        putIfPresent(record, "usage_input_cached_text_tokens", numberText(cachedDetails.path("text_tokens")));
        putIfPresent(record, "usage_input_cached_audio_tokens", numberText(cachedDetails.path("audio_tokens")));
        putIfPresent(record, "usage_output_text_tokens", numberText(outDetails.path("text_tokens")));
        putIfPresent(record, "usage_output_audio_tokens", numberText(outDetails.path("audio_tokens")));
    }

    private StageRecord base(StageKind kind, String operation, String model, UserTurn turn) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = OpenAiRealtimeProtocol.PROVIDER;
        record.operation = operation;
        record.model = model;
        record.streaming = true;
        record.contextSessionId = socket.sessionId;
        record.contextTurnAnchor = turn == null ? 0 : turn.anchor;
        record.metadata.put("socket_client", socket.client);
        putIfPresent(record, "realtime_session_id", vendorSessionId);
        return record;
    }

    private static String describeError(JsonNode error, String fallback) {
        String message = text(error, "message");
        String type = text(error, "type");
        String code = text(error, "code");
        StringBuilder text = new StringBuilder();
        text.append(type != null ? type : fallback);
        if (message != null) {
            text.append(": ").append(message);
        }
        if (code != null) {
            text.append(" (").append(code).append(')');
        }
        return dev.voicetrace.agent.pipeline.SecretScrubber.scrub(text.toString());
    }

    private static String numberText(JsonNode value) {
        return value.isNumber() ? Long.toString(value.asLong()) : null;
    }

    private static void putIfPresent(StageRecord record, String key, String value) {
        if (value != null) {
            record.metadata.put(key, value);
        }
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<String, V>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_REMEMBERED;
            }
        };
    }

    /** The socket's session configuration, in either the GA or the beta shape. */
    static final class SessionConfig {
        String model;
        String instructions;
        JsonNode tools;
        String voice;
        String inputFormat = "pcm16";
        String outputFormat = "pcm16";
        String transcriptionModel;
        String transcriptionLanguage;
        final Map<String, Object> other = new LinkedHashMap<>();

        void apply(JsonNode session) {
            if (!session.isObject()) {
                return;
            }
            String newModel = text(session, "model");
            if (newModel != null) {
                model = newModel;
            }
            if (session.hasNonNull("instructions")) {
                instructions = text(session, "instructions");
            }
            if (session.path("tools").isArray()) {
                tools = session.get("tools").size() == 0 ? null : session.get("tools");
            }
            JsonNode audio = session.path("audio");
            JsonNode audioIn = audio.path("input");
            JsonNode audioOut = audio.path("output");
            voice = firstText(voice, audioOut.path("voice"), session.path("voice"));
            inputFormat = format(inputFormat, audioIn.path("format"), session.path("input_audio_format"));
            outputFormat = format(outputFormat, audioOut.path("format"), session.path("output_audio_format"));
            JsonNode transcription = audioIn.has("transcription") ? audioIn.get("transcription")
                    : session.path("input_audio_transcription");
            if (transcription.isNull()) {
                transcriptionModel = null;
            } else if (transcription.isObject()) {
                transcriptionModel = text(transcription, "model");
                transcriptionLanguage = text(transcription, "language");
            }
            JsonNode turnDetection = audioIn.has("turn_detection") ? audioIn.get("turn_detection")
                    : session.get("turn_detection");
            if (turnDetection != null) {
                other.put("turn_detection", turnDetection.isNull() ? "none" : Json.write(turnDetection));
            }
            JsonNode modalities = session.has("output_modalities") ? session.get("output_modalities")
                    : session.get("modalities");
            if (modalities != null && modalities.isArray()) {
                other.put("output_modalities", Json.write(modalities));
            }
            copyScalar(session, "temperature");
            copyScalar(session, "max_output_tokens");
            copyScalar(session, "max_response_output_tokens");
            copyScalar(session, "tool_choice");
            copyScalar(audioOut, "speed");
            copyScalar(session, "speed");
        }

        private void copyScalar(JsonNode from, String name) {
            JsonNode value = from.get(name);
            if (value == null || value.isNull()) {
                return;
            }
            if (value.isNumber()) {
                other.put(name, value.numberValue());
            } else if (value.isValueNode()) {
                other.put(name, value.asText());
            } else {
                other.put(name, Json.write(value));
            }
        }

        Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (voice != null) {
                parameters.put("voice", voice);
            }
            parameters.put("input_audio_format", inputFormat);
            parameters.put("output_audio_format", outputFormat);
            if (transcriptionModel != null) {
                parameters.put("input_audio_transcription_model", transcriptionModel);
            }
            parameters.putAll(other);
            return parameters;
        }

        Map<String, Object> transcriptionParameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("input_audio_format", inputFormat);
            if (transcriptionLanguage != null) {
                parameters.put("language", transcriptionLanguage);
            }
            return parameters;
        }

        /** Milliseconds of input audio in {@code bytes}, -1 when the format does not say. */
        long inputAudioMs(long bytes) {
            return audioMs(inputFormat, bytes);
        }

        long outputAudioMs(long bytes) {
            return audioMs(outputFormat, bytes);
        }

        /** PCM16 is 24 kHz mono (48 bytes a millisecond); G.711 is 8 kHz, one byte a sample. */
        private static long audioMs(String format, long bytes) {
            if (format == null || bytes < 0) {
                return -1;
            }
            switch (format) {
                case "pcm16":
                case "audio/pcm":
                    return bytes / 48;
                case "g711_ulaw":
                case "g711_alaw":
                case "audio/pcmu":
                case "audio/pcma":
                    return bytes / 8;
                default:
                    return -1;
            }
        }

        private static String firstText(String current, JsonNode... values) {
            for (JsonNode value : values) {
                if (value.isTextual()) {
                    return value.asText();
                }
                if (value.isObject() && value.path("id").isTextual()) {
                    return value.get("id").asText();
                }
            }
            return current;
        }

        private static String format(String current, JsonNode gaFormat, JsonNode betaFormat) {
            if (gaFormat.isObject() && gaFormat.path("type").isTextual()) {
                return gaFormat.get("type").asText();
            }
            if (gaFormat.isTextual()) {
                return gaFormat.asText();
            }
            return betaFormat.isTextual() ? betaFormat.asText() : current;
        }
    }

    /** For tests: responses waiting for a transcript or a truncation. */
    int waitingCount() {
        return waiting.size();
    }
}
