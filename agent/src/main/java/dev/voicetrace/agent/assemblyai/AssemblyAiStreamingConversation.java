package dev.voicetrace.agent.assemblyai;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketEvent;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketRecords;
import java.util.function.Consumer;

/**
 * One AssemblyAI Universal-Streaming socket: one speech-to-text record per turn, at its
 * {@code end_of_turn} message (the formatted one when {@code format_turns} is on), with the
 * transcript, its words' mean confidence and count, the partial messages before it, the first
 * partial with words as completion start, and the audio its words span. AssemblyAI bills a stream
 * by how long the socket stays open: each turn is priced for the connection time since the
 * previous turn ended (or the socket opened), {@code billed_audio_ms}; the session's id from
 * {@code Begin} and, for a stream that ends mid-turn, the durations from {@code Termination} are
 * in metadata.
 */
final class AssemblyAiStreamingConversation implements SocketConversation {

    static final String OPERATION = "streaming";
    private static final JsonNodeFactory JSON = Json.NODES;
    private static final String[] PARAMETERS = {
        "sample_rate", "encoding", "format_turns", "end_of_turn_confidence_threshold",
        "min_end_of_turn_silence_when_confident", "max_turn_silence", "keyterms_prompt", "language_detection",
        "inactivity_timeout"
    };

    private final SocketInfo socket;
    private final boolean formatTurns;
    private final String model;
    private String sessionId;

    private int partials;
    private long firstPartialNanos;
    private long turnStartNanos;
    private String lastTranscript;
    private long previousTurnEndNanos;
    private long previousWordEndMs;
    private long sentAudioAtPreviousEnd;

    AssemblyAiStreamingConversation(SocketInfo socket, boolean formatTurns) {
        this.socket = socket;
        this.formatTurns = formatTurns;
        this.model = socket.query.getOrDefault("speech_model", "universal-streaming");
        this.previousTurnEndNanos = socket.openedEpochNanos;
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (event.kind != SocketEvent.Kind.RECEIVED) {
            return;
        }
        String type = text(message, "type");
        if ("Begin".equals(type)) {
            sessionId = text(message, "id");
        } else if ("Turn".equals(type)) {
            turn(event, message, out);
        } else if ("Termination".equals(type) && lastTranscript != null && !lastTranscript.isEmpty()) {
            emit(event, null, 0, out, message);
        }
    }

    private void turn(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        boolean end = message.path("end_of_turn").asBoolean(false);
        boolean formatted = message.path("turn_is_formatted").asBoolean(false);
        String transcript = text(message, "transcript");
        if (turnStartNanos == 0) {
            turnStartNanos = event.epochNanos;
        }
        if (!end) {
            partials++;
            if (firstPartialNanos == 0 && transcript != null && !transcript.isEmpty()) {
                firstPartialNanos = event.epochNanos;
            }
            lastTranscript = transcript;
            return;
        }
        lastTranscript = transcript;
        if (formatted == formatTurns) {
            emit(event, message, event.turnAnchor, out, null);
        }
    }

    private void emit(SocketEvent event, JsonNode turn, long anchor, Consumer<StageRecord> out, JsonNode termination) {
        StageRecord record = SocketRecords.base(socket, StageKind.STT, AssemblyAiStreamingProtocol.PROVIDER, OPERATION,
                model, null, anchor != 0 ? anchor : CallTracker.newTurnAnchor());
        record.startEpochNanos = turnStartNanos != 0 ? turnStartNanos : event.epochNanos;
        record.endEpochNanos = event.epochNanos;
        record.firstOutputEpochNanos = firstPartialNanos;
        SocketRecords.queryParameters(socket.query, PARAMETERS, record);
        String transcript = turn != null ? text(turn, "transcript") : lastTranscript;
        ObjectNode output = JSON.objectNode();
        output.put("text", transcript);
        long wordEndMs = previousWordEndMs;
        if (turn != null) {
            double confidence = 0;
            int words = 0;
            for (JsonNode word : turn.path("words")) {
                words++;
                confidence += word.path("confidence").asDouble(0);
                wordEndMs = Math.max(wordEndMs, word.path("end").asLong(0));
            }
            if (words > 0) {
                output.put("confidence", Math.round(confidence / words * 10_000) / 10_000.0);
                output.put("words", words);
            }
            output.put("turn_order", turn.path("turn_order").asInt());
            output.put("turn_is_formatted", turn.path("turn_is_formatted").asBoolean(false));
            if (turn.path("end_of_turn_confidence").isNumber()) {
                output.set("end_of_turn_confidence", turn.get("end_of_turn_confidence"));
            }
        }
        output.put("partial_results", partials);
        record.output = output;
        record.outputText = transcript;

        long audioMs = Math.max(0, wordEndMs - previousWordEndMs);
        ObjectNode audio = JSON.objectNode();
        audio.put("encoding", socket.query.getOrDefault("encoding", "pcm_s16le"));
        audio.put("bytes", event.sentAudioBytes - sentAudioAtPreviousEnd);
        audio.put("duration_ms", audioMs);
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        record.input = input;
        long billedMs = Math.max(0, (event.epochNanos - previousTurnEndNanos) / 1_000_000);
        record.audioSeconds = billedMs / 1000.0;
        record.metadata.put("audio_ms", Long.toString(audioMs));
        record.metadata.put("billed_audio_ms", Long.toString(billedMs));
        record.metadata.put("partial_results", Integer.toString(partials));
        if (sessionId != null) {
            record.metadata.put("session_id", sessionId);
        }
        if (termination != null) {
            record.metadata.put("interrupted", "true");
            putSeconds(record, "session_duration_ms", termination.path("session_duration_seconds"));
            putSeconds(record, "stream_audio_ms", termination.path("audio_duration_seconds"));
        }
        out.accept(record);
        previousTurnEndNanos = event.epochNanos;
        previousWordEndMs = wordEndMs;
        sentAudioAtPreviousEnd = event.sentAudioBytes;
        partials = 0;
        firstPartialNanos = 0;
        turnStartNanos = 0;
        lastTranscript = null;
    }

    private static void putSeconds(StageRecord record, String key, JsonNode seconds) {
        if (seconds.isNumber()) {
            record.metadata.put(key, Long.toString(Math.round(seconds.asDouble() * 1000)));
        }
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        if (lastTranscript != null && !lastTranscript.isEmpty()) {
            StageRecord[] last = new StageRecord[1];
            emit(event, null, 0, record -> last[0] = record, null);
            last[0].metadata.put("interrupted", "true");
            if (event.kind == SocketEvent.Kind.FAILED) {
                last[0].error = event.error;
            }
            out.accept(last[0]);
        }
    }
}
