package dev.voicetrace.agent.elevenlabs;

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
 * One ElevenLabs stream-input socket: one text-to-speech record per generation, the text chunks
 * sent up to a {@code flush} or the closing empty text. Its audio is what arrives from the end of
 * its text until the next generation's first chunk, {@code isFinal} or the socket's end: the
 * first chunk is the completion start. The text, joined, links the record to the model reply it
 * speaks; the sending thread's context (the reply's turn) places it. The API key that the first
 * message may carry ({@code xi_api_key}) is never read.
 */
final class ElevenLabsStreamInputConversation implements SocketConversation {

    static final String OPERATION = "text_to_speech.stream_input";
    static final String DEFAULT_MODEL = "eleven_multilingual_v2";
    static final String DEFAULT_FORMAT = "mp3_44100_128";
    private static final JsonNodeFactory JSON = Json.NODES;
    private static final int MAX_TEXT = 20_000;

    private final SocketInfo socket;
    private final String voice;
    private final String model;
    private final String format;
    private JsonNode voiceSettings;

    /** The generation whose text is being sent, or null. */
    private Generation open;
    /** The latest generation whose text is complete: its audio is arriving until the next one starts. */
    private Generation speaking;

    private static final class Generation {
        final StringBuilder text = new StringBuilder();
        long startNanos;
        long textEndNanos;
        long receivedAudioAtStart;
        long firstAudioNanos;
        String senderSession;
        long senderAnchor;
    }

    ElevenLabsStreamInputConversation(SocketInfo socket, String voice) {
        this.socket = socket;
        this.voice = voice;
        this.model = socket.query.getOrDefault("model_id", DEFAULT_MODEL);
        this.format = socket.query.getOrDefault("output_format", DEFAULT_FORMAT);
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (event.kind == SocketEvent.Kind.SENT) {
            sent(event, message, out);
        } else if (message.path("isFinal").asBoolean(false)) {
            // everything asked for is spoken
            finishSpeaking(event, out);
            if (open != null) {
                speaking = open;
                open = null;
                finishSpeaking(event, out);
            }
        }
    }

    @Override
    public void onAudioStarted(SocketEvent event, Consumer<StageRecord> out) {
        Generation target = speaking != null && speaking.firstAudioNanos == 0 ? speaking
                : open != null && open.firstAudioNanos == 0 ? open : null;
        if (target != null && event.firstAudioNanos >= target.startNanos) {
            target.firstAudioNanos = event.firstAudioNanos;
        }
    }

    private void sent(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (message.path("voice_settings").isObject()) {
            voiceSettings = message.get("voice_settings");
        }
        JsonNode textNode = message.get("text");
        if (textNode == null || !textNode.isTextual()) {
            return;
        }
        String chunk = textNode.asText();
        boolean flush = message.path("flush").asBoolean(false);
        if (chunk.isEmpty()) {
            // the closing empty text: the generation's text is complete
            endText(event);
            return;
        }
        if (open == null) {
            if (chunk.trim().isEmpty()) {
                // the opening " " that carries the settings, or a keep-alive: no generation's text
                return;
            }
            // audio arriving from now on is the new generation's: the previous one is complete
            finishSpeaking(event, out);
            open = new Generation();
            open.startNanos = event.epochNanos;
            open.receivedAudioAtStart = event.receivedAudioBytes;
            open.senderSession = event.senderSessionId;
            open.senderAnchor = event.senderTurnAnchor;
        }
        if (open.text.length() + chunk.length() <= MAX_TEXT) {
            open.text.append(chunk);
        }
        if (flush) {
            endText(event);
        }
    }

    private void endText(SocketEvent event) {
        if (open != null) {
            open.textEndNanos = event.epochNanos;
            speaking = open;
            open = null;
        }
    }

    private void finishSpeaking(SocketEvent event, Consumer<StageRecord> out) {
        if (speaking != null) {
            finish(speaking, event, out);
            speaking = null;
        }
    }

    private void finish(Generation generation, SocketEvent event, Consumer<StageRecord> out) {
        StageRecord record = SocketRecords.base(socket, StageKind.TTS, ElevenLabsSpeechSocket.PROVIDER,
                OPERATION, model, generation.senderSession, generation.senderAnchor);
        record.startEpochNanos = generation.startNanos;
        record.endEpochNanos = Math.max(event.lastAudioNanos, generation.textEndNanos);
        record.firstOutputEpochNanos = generation.firstAudioNanos;
        record.modelParameters.put("output_format", format);
        SocketRecords.queryParameters(socket.query, new String[] {"optimize_streaming_latency", "auto_mode",
            "inactivity_timeout", "sync_alignment", "apply_text_normalization", "language_code"}, record);
        String text = generation.text.toString();
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        input.put("voice_id", voice);
        if (voiceSettings != null) {
            input.set("voice_settings", voiceSettings);
        }
        record.input = input;
        record.inputText = text;
        SocketRecords.characters(record, SocketRecords.characters(text));
        long bytes = Math.max(0, event.receivedAudioBytes - generation.receivedAudioAtStart);
        ObjectNode output = JSON.objectNode();
        output.put("audio_bytes", bytes);
        output.put("format", format);
        long ms = audioMs(format, bytes);
        if (ms >= 0) {
            output.put("duration_ms", ms);
            record.metadata.put("audio_ms", Long.toString(ms));
        }
        record.output = output;
        record.metadata.put("voice", voice);
        record.metadata.put("format", format);
        record.metadata.put("audio_bytes", Long.toString(bytes));
        out.accept(record);
    }

    /** Milliseconds of audio in {@code bytes} of an output format such as {@code pcm_16000} or {@code mp3_44100_128}. */
    static long audioMs(String format, long bytes) {
        String[] parts = format.toLowerCase(Locale.ROOT).split("_");
        try {
            if (parts.length >= 2 && parts[0].equals("pcm")) {
                return bytes * 1000 / (Integer.parseInt(parts[1]) * 2L);
            }
            if (parts.length >= 2 && (parts[0].equals("ulaw") || parts[0].equals("alaw"))) {
                return bytes * 1000 / Integer.parseInt(parts[1]);
            }
            if (parts.length >= 3 && parts[0].equals("mp3")) {
                // constant bit rate: kilobits a second
                return bytes * 8 / Integer.parseInt(parts[2]);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        if (speaking != null && event.cutShort()) {
            // its audio was still arriving (no isFinal) when the socket failed or was aborted
            Generation cut = speaking;
            speaking = null;
            finishCut(cut, event, out);
        }
        finishSpeaking(event, out);
        if (open != null) {
            // text sent but never flushed nor closed: the socket ended before it was all spoken
            Generation cut = open;
            open = null;
            cut.textEndNanos = event.epochNanos;
            finishCut(cut, event, out);
        }
    }

    private void finishCut(Generation generation, SocketEvent event, Consumer<StageRecord> out) {
        StageRecord[] record = new StageRecord[1];
        finish(generation, event, r -> record[0] = r);
        record[0].metadata.put("interrupted", "true");
        record[0].error = event.failure();
        out.accept(record[0]);
    }
}
