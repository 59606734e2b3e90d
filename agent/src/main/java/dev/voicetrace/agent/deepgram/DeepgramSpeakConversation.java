package dev.voicetrace.agent.deepgram;

import static dev.voicetrace.agent.json.WireFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketConversation;
import dev.voicetrace.agent.realtime.SocketEvent;
import dev.voicetrace.agent.realtime.SocketInfo;
import dev.voicetrace.agent.realtime.SocketRecords;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One Deepgram streaming text-to-speech socket: one record per flushed text (the {@code Speak}
 * texts sent before a {@code Flush}), ended by the matching {@code Flushed}; its audio is the
 * binary frames received in between, the first of them the completion start. {@code Clear} (the
 * caller spoke over the answer) ends the text in progress as {@code interrupted}.
 */
final class DeepgramSpeakConversation implements SocketConversation {

    static final String OPERATION = "speak.live";
    private static final JsonNodeFactory JSON = Json.NODES;
    private static final int MAX_TEXT = 20_000;

    private final SocketInfo socket;
    private String model;
    private String requestId;

    private final StringBuilder text = new StringBuilder();
    private long startNanos;
    private long receivedAudioAtStart;
    private long firstAudioNanos;
    private String senderSession;
    private long senderAnchor;
    private boolean flushed;

    DeepgramSpeakConversation(SocketInfo socket) {
        this.socket = socket;
        this.model = socket.query.getOrDefault("model", "aura-asteria-en");
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        String type = text(message, "type");
        if (type == null) {
            return;
        }
        if (event.kind == SocketEvent.Kind.SENT) {
            switch (type) {
                case "Speak": {
                    String chunk = text(message, "text");
                    if (chunk == null) {
                        return;
                    }
                    if (startNanos == 0) {
                        startNanos = event.epochNanos;
                        receivedAudioAtStart = event.receivedAudioBytes;
                        firstAudioNanos = 0;
                        senderSession = event.senderSessionId;
                        senderAnchor = event.senderTurnAnchor;
                    }
                    if (text.length() + chunk.length() <= MAX_TEXT) {
                        text.append(chunk);
                    }
                    break;
                }
                case "Flush":
                    flushed = startNanos != 0;
                    break;
                case "Clear":
                    if (startNanos != 0) {
                        finish(event, out, true);
                    }
                    break;
                default:
                    break;
            }
            return;
        }
        switch (type) {
            case "Metadata":
                requestId = text(message, "request_id");
                if (text(message, "model_name") != null) {
                    model = text(message, "model_name");
                }
                break;
            case "Flushed":
                if (startNanos != 0) {
                    finish(event, out, false);
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void onAudioStarted(SocketEvent event, Consumer<StageRecord> out) {
        if (startNanos != 0 && firstAudioNanos == 0 && event.firstAudioNanos >= startNanos) {
            firstAudioNanos = event.firstAudioNanos;
        }
    }

    private void finish(SocketEvent event, Consumer<StageRecord> out, boolean interrupted) {
        StageRecord record = SocketRecords.base(socket, StageKind.TTS, DeepgramListenProtocol.PROVIDER, OPERATION, model,
                senderSession, senderAnchor);
        record.startEpochNanos = startNanos;
        record.endEpochNanos = Math.max(event.lastAudioNanos, startNanos);
        record.firstOutputEpochNanos = firstAudioNanos;
        SocketRecords.queryParameters(socket.query, new String[] {"encoding", "sample_rate", "container", "bit_rate"},
                record);
        String spoken = text.toString();
        ObjectNode input = JSON.objectNode();
        input.put("text", spoken);
        String voice = voiceOf(model);
        if (voice != null) {
            input.put("voice", voice);
            record.metadata.put("voice", voice);
        }
        record.input = input;
        record.inputText = spoken;
        SocketRecords.characters(record, SocketRecords.characters(spoken));
        long bytes = Math.max(0, event.receivedAudioBytes - receivedAudioAtStart);
        ObjectNode output = JSON.objectNode();
        output.put("audio_bytes", bytes);
        String encoding = socket.query.getOrDefault("encoding", "linear16").toLowerCase(Locale.ROOT);
        long ms = audioMs(encoding, socket.query.get("sample_rate"), bytes);
        if (ms >= 0) {
            output.put("duration_ms", ms);
            record.metadata.put("audio_ms", Long.toString(ms));
        }
        record.output = output;
        record.metadata.put("audio_bytes", Long.toString(bytes));
        if (requestId != null) {
            record.metadata.put("request_id", requestId);
        }
        if (interrupted) {
            record.metadata.put("interrupted", "true");
            if (event.kind == SocketEvent.Kind.FAILED) {
                record.error = event.error;
            }
        }
        out.accept(record);
        text.setLength(0);
        startNanos = 0;
        flushed = false;
    }

    /** Raw audio over the socket (no container): linear16 two bytes a sample, mulaw and alaw one. */
    static long audioMs(String encoding, String sampleRate, long bytes) {
        int rate;
        try {
            rate = sampleRate == null ? ("linear16".equals(encoding) ? 24_000 : 8_000) : Integer.parseInt(sampleRate);
        } catch (NumberFormatException e) {
            return -1;
        }
        if (rate <= 0) {
            return -1;
        }
        switch (encoding) {
            case "linear16":
                return bytes * 1000 / (rate * 2L);
            case "mulaw":
            case "alaw":
                return bytes * 1000 / rate;
            default:
                return -1;
        }
    }

    /** {@code aura-2-thalia-en} -> {@code thalia}. */
    static String voiceOf(String model) {
        if (model == null || !model.startsWith("aura-")) {
            return null;
        }
        String rest = model.substring("aura-".length());
        if (rest.matches("\\d+-.*")) {
            rest = rest.substring(rest.indexOf('-') + 1);
        }
        int dash = rest.lastIndexOf('-');
        return dash > 0 ? rest.substring(0, dash) : rest;
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        if (startNanos != 0) {
            finish(event, out, !flushed || event.kind != SocketEvent.Kind.CLOSED);
        }
    }
}
