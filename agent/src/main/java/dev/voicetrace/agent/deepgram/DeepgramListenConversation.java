package dev.voicetrace.agent.deepgram;

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
 * One Deepgram live transcription socket: one speech-to-text record per utterance, ended by a
 * final result with {@code speech_final} or by {@code UtteranceEnd}. It carries the finals'
 * transcript, their mean confidence, the interim and final counts, the first interim result as
 * completion start, the audio the utterance covers (from the results' {@code start} and
 * {@code duration}, counted from the previous utterance's end so that the utterances of a stream
 * add up to the audio billed), the request id, model and query options.
 */
final class DeepgramListenConversation implements SocketConversation {

    static final String OPERATION = "listen.live";
    private static final JsonNodeFactory JSON = Json.NODES;
    private static final String[] PARAMETERS = {
        "language", "encoding", "sample_rate", "channels", "interim_results", "punctuate", "smart_format",
        "endpointing", "utterance_end_ms", "vad_events", "diarize", "numerals", "profanity_filter", "filler_words",
        "keyterm", "multichannel", "no_delay"
    };
    /** A transcript is cut beyond this many characters (an utterance that never ends). */
    private static final int MAX_TRANSCRIPT = 20_000;

    private final SocketInfo socket;
    private String model;
    private String requestId;

    private final StringBuilder transcript = new StringBuilder();
    private long utteranceStartNanos;
    private long firstInterimNanos;
    private long interims;
    /** Interim results received (counted by the socket, never kept) when the utterance began. */
    private long marksAtUtteranceStart;
    private int finals;
    private double confidenceSum;
    private int words;
    private double audioEndSeconds;
    /** Where the previous utterance's audio ended, in stream seconds. */
    private double previousEndSeconds;
    private long sentAudioAtPreviousEnd;

    DeepgramListenConversation(SocketInfo socket) {
        this.socket = socket;
        this.model = socket.query.get("model");
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (event.kind != SocketEvent.Kind.RECEIVED) {
            return;
        }
        interims = event.receivedMarks - marksAtUtteranceStart;
        if (interims > 0 && utteranceStartNanos == 0) {
            utteranceStartNanos = event.firstMarkNanos != 0 ? event.firstMarkNanos : event.epochNanos;
        }
        if (firstInterimNanos == 0 && event.firstMarkNanos != 0) {
            firstInterimNanos = event.firstMarkNanos;
        }
        String type = text(message, "type");
        if ("Results".equals(type)) {
            result(event, message, out);
        } else if ("UtteranceEnd".equals(type)) {
            if (finals > 0) {
                emit(event, event.turnAnchor, null, out);
            }
        } else if ("Metadata".equals(type)) {
            if (requestId == null) {
                requestId = text(message, "request_id");
            }
        }
    }

    private void result(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        JsonNode metadata = message.path("metadata");
        if (requestId == null) {
            requestId = text(metadata, "request_id");
        }
        JsonNode modelInfo = metadata.path("model_info");
        if (model == null) {
            model = text(modelInfo, "arch");
        }
        JsonNode best = message.path("channel").path("alternatives").path(0);
        String words = text(best, "transcript");
        boolean isFinal = message.path("is_final").asBoolean(false);
        if (utteranceStartNanos == 0 && (!isFinal || (words != null && !words.isEmpty()))) {
            utteranceStartNanos = event.epochNanos;
        }
        if (!isFinal) {
            // interim results are normally counted, not kept; one that was kept counts here
            interims++;
            marksAtUtteranceStart--;
            if (firstInterimNanos == 0) {
                firstInterimNanos = event.epochNanos;
            }
        } else {
            finals++;
            if (words != null && !words.isEmpty() && transcript.length() < MAX_TRANSCRIPT) {
                if (transcript.length() > 0) {
                    transcript.append(' ');
                }
                transcript.append(words);
                if (best.path("confidence").isNumber()) {
                    confidenceSum += best.get("confidence").asDouble();
                    this.words++;
                }
            }
            double end = message.path("start").asDouble(0) + message.path("duration").asDouble(0);
            audioEndSeconds = Math.max(audioEndSeconds, end);
        }
        if (message.path("speech_final").asBoolean(false)) {
            if (transcript.length() > 0) {
                emit(event, event.turnAnchor, message, out);
            } else {
                // silence: the results so far belong to the next utterance's audio
                reset(event, false);
            }
        }
    }

    private void emit(SocketEvent event, long anchor, JsonNode last, Consumer<StageRecord> out) {
        StageRecord record = SocketRecords.base(socket, StageKind.STT, DeepgramListenProtocol.PROVIDER, OPERATION, model,
                null, anchor != 0 ? anchor : CallTracker.newTurnAnchor());
        record.startEpochNanos = utteranceStartNanos != 0 ? utteranceStartNanos : event.epochNanos;
        record.endEpochNanos = event.epochNanos;
        record.firstOutputEpochNanos = firstInterimNanos;
        SocketRecords.queryParameters(socket.query, PARAMETERS, record);
        long audioMs = Math.max(0, Math.round((audioEndSeconds - previousEndSeconds) * 1000));
        ObjectNode audio = JSON.objectNode();
        audio.put("encoding", socket.query.get("encoding"));
        audio.put("bytes", event.sentAudioBytes - sentAudioAtPreviousEnd);
        audio.put("duration_ms", audioMs);
        audio.put("stream_offset_ms", Math.round(previousEndSeconds * 1000));
        ObjectNode input = JSON.objectNode();
        input.set("audio", audio);
        record.input = input;
        ObjectNode output = JSON.objectNode();
        String text = transcript.toString();
        output.put("text", text);
        if (words > 0) {
            output.put("confidence", Math.round(confidenceSum / words * 10_000) / 10_000.0);
        }
        output.put("interim_results", interims);
        output.put("final_results", finals);
        record.output = output;
        record.outputText = text;
        record.audioSeconds = audioMs / 1000.0;
        record.metadata.put("audio_ms", Long.toString(audioMs));
        record.metadata.put("partial_results", Long.toString(interims));
        record.metadata.put("final_results", Integer.toString(finals));
        record.metadata.put("ended_by", last != null ? "speech_final" : "UtteranceEnd");
        if (requestId != null) {
            record.metadata.put("request_id", requestId);
        }
        out.accept(record);
        reset(event, true);
    }

    private void reset(SocketEvent event, boolean consumedAudio) {
        if (consumedAudio) {
            previousEndSeconds = audioEndSeconds;
            sentAudioAtPreviousEnd = event.sentAudioBytes;
        }
        transcript.setLength(0);
        utteranceStartNanos = 0;
        firstInterimNanos = 0;
        marksAtUtteranceStart = event.receivedMarks;
        interims = 0;
        finals = 0;
        confidenceSum = 0;
        words = 0;
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        if (transcript.length() > 0) {
            // the stream ended mid-utterance: what was final so far, marked interrupted
            StageRecord[] last = new StageRecord[1];
            emit(event, 0, null, record -> last[0] = record);
            last[0].metadata.put("interrupted", "true");
            last[0].metadata.put("ended_by", event.kind.name().toLowerCase(java.util.Locale.ROOT));
            if (event.kind == SocketEvent.Kind.FAILED) {
                last[0].error = event.error;
            }
            out.accept(last[0]);
        }
    }
}
