package dev.voicetrace.agent.elevenlabs;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One ElevenLabs multi-stream-input socket: one text-to-speech record per context, its text the
 * chunks sent to it. The service confirms a context's end with {@code isFinal} once it is closed
 * ({@code close_context}) and its audio delivered: the record ends there. A context still open
 * when the socket ends is recorded then: {@code interrupted} when its text was never flushed nor
 * closed, or when the socket failed, closed abnormally or was aborted (a failure as error). A barge-in closes the context
 * with the same {@code close_context} as a finished reply, so the wire does not tell them apart;
 * the record holds the audio that arrived. Audio chunks are counted, never parsed, so a
 * context's audio is what arrived from its first text (or the previous context's end, if later)
 * until its own end: exact when contexts speak one after another, as a voice agent's replies do;
 * shared out in arrival order when they overlap. The sending thread's context (the reply's turn)
 * places each record, and its text links it to the reply. API keys in messages
 * ({@code xi_api_key}, {@code authorization}) are never read.
 */
final class ElevenLabsMultiStreamConversation implements SocketConversation {

    static final String OPERATION = "text_to_speech.multi_stream_input";
    /** Contexts open at once: the vendor allows 5; more are not followed. */
    private static final int MAX_CONTEXTS = 16;
    private static final int MAX_TEXT = 20_000;
    private static final JsonNodeFactory JSON = Json.NODES;
    /** The context a message without {@code context_id} goes to. */
    private static final String DEFAULT_CONTEXT = "";

    private final SocketInfo socket;
    private final String voice;
    private final String model;
    private final String format;
    private final Map<String, Context> open = new LinkedHashMap<>();
    /** Audio bytes received up to the latest context's end: later audio is another context's. */
    private long audioClaimed;

    private static final class Context {
        final String id;
        final StringBuilder text = new StringBuilder();
        JsonNode voiceSettings;
        long startNanos;
        long textEndNanos;
        long receivedAudioAtStart;
        long firstAudioNanos;
        String senderSession;
        long senderAnchor;
        boolean flushed;
        boolean closing;

        Context(String id) {
            this.id = id;
        }
    }

    ElevenLabsMultiStreamConversation(SocketInfo socket, String voice) {
        this.socket = socket;
        this.voice = voice;
        this.model = socket.query.getOrDefault("model_id", ElevenLabsStreamInputConversation.DEFAULT_MODEL);
        this.format = socket.query.getOrDefault("output_format", ElevenLabsStreamInputConversation.DEFAULT_FORMAT);
    }

    @Override
    public void onMessage(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (event.kind == SocketEvent.Kind.SENT) {
            sent(event, message, out);
            return;
        }
        String id = message.path("contextId").asText(message.path("context_id").asText(DEFAULT_CONTEXT));
        if (message.path("isFinal").asBoolean(false) || message.path("is_final").asBoolean(false)) {
            Context context = open.remove(id);
            if (context != null) {
                finish(context, event, null, out);
            }
        } else if (message.hasNonNull("error") || message.hasNonNull("message") && !message.has("audio")) {
            // the vendor's error: the context it names (or every open one) ends with it
            String error = message.path("error").isTextual() ? message.path("error").asText()
                    : message.path("message").asText("error");
            Context context = open.remove(id);
            if (context != null) {
                finish(context, event, error, out);
            } else {
                endAll(event, error, out);
            }
        }
    }

    @Override
    public void onAudioStarted(SocketEvent event, Consumer<StageRecord> out) {
        for (Context context : open.values()) {
            if (context.flushed && context.firstAudioNanos == 0) {
                context.firstAudioNanos = event.firstAudioNanos;
                return;
            }
        }
        for (Context context : open.values()) {
            if (context.firstAudioNanos == 0 && context.text.length() > 0) {
                context.firstAudioNanos = event.firstAudioNanos;
                return;
            }
        }
    }

    private void sent(SocketEvent event, JsonNode message, Consumer<StageRecord> out) {
        if (message.path("close_socket").asBoolean(false)) {
            return;
        }
        String id = message.path("context_id").asText(DEFAULT_CONTEXT);
        Context context = open.get(id);
        if (message.path("close_context").asBoolean(false)) {
            if (context != null) {
                // its text is complete; isFinal follows once its audio is delivered
                context.closing = true;
                if (context.textEndNanos == 0) {
                    context.textEndNanos = event.epochNanos;
                }
            }
            return;
        }
        JsonNode textNode = message.get("text");
        String chunk = textNode != null && textNode.isTextual() ? textNode.asText() : "";
        if (context == null) {
            if (chunk.trim().isEmpty() && !message.path("voice_settings").isObject()) {
                // a keep-alive or flush of a context not followed
                return;
            }
            if (open.size() >= MAX_CONTEXTS) {
                return;
            }
            context = new Context(id);
            context.startNanos = event.epochNanos;
            context.receivedAudioAtStart = event.receivedAudioBytes;
            context.senderSession = event.senderSessionId;
            context.senderAnchor = event.senderTurnAnchor;
            open.put(id, context);
        }
        if (message.path("voice_settings").isObject()) {
            context.voiceSettings = message.get("voice_settings");
        }
        if (!chunk.trim().isEmpty() || context.text.length() > 0) {
            if (context.text.length() + chunk.length() <= MAX_TEXT) {
                context.text.append(chunk);
            }
        }
        if (context.senderAnchor == 0 && event.senderTurnAnchor != 0) {
            context.senderAnchor = event.senderTurnAnchor;
            context.senderSession = event.senderSessionId;
        }
        if (message.path("flush").asBoolean(false)) {
            context.flushed = true;
            context.textEndNanos = event.epochNanos;
        }
    }

    private void endAll(SocketEvent event, String error, Consumer<StageRecord> out) {
        for (Context context : open.values().toArray(new Context[0])) {
            open.remove(context.id);
            finish(context, event, error, out);
        }
    }

    /**
     * @param cut null when the context was spoken to its end; "" when it was cut short; else
     *     the error it ended with
     */
    private void finish(Context context, SocketEvent event, String cut, Consumer<StageRecord> out) {
        if (context.text.toString().trim().isEmpty()) {
            return;
        }
        StageRecord record = SocketRecords.base(socket, StageKind.TTS, ElevenLabsSpeechSocket.PROVIDER,
                OPERATION, model, context.senderSession, context.senderAnchor);
        record.startEpochNanos = context.startNanos;
        record.endEpochNanos = Math.max(event.epochNanos, context.textEndNanos);
        record.firstOutputEpochNanos = context.firstAudioNanos;
        record.modelParameters.put("output_format", format);
        record.modelParameters.put("context_id", context.id);
        SocketRecords.queryParameters(socket.query, new String[] {"inactivity_timeout", "sync_alignment",
            "auto_mode", "apply_text_normalization", "language_code", "enable_ssml_parsing"}, record);
        String text = context.text.toString();
        ObjectNode input = JSON.objectNode();
        input.put("text", text);
        input.put("voice_id", voice);
        input.put("context_id", context.id);
        if (context.voiceSettings != null) {
            input.set("voice_settings", context.voiceSettings);
        }
        record.input = input;
        record.inputText = text;
        SocketRecords.characters(record, SocketRecords.characters(text));
        long from = Math.max(context.receivedAudioAtStart, audioClaimed);
        long bytes = Math.max(0, event.receivedAudioBytes - from);
        audioClaimed = Math.max(audioClaimed, event.receivedAudioBytes);
        ObjectNode output = JSON.objectNode();
        output.put("audio_bytes", bytes);
        output.put("format", format);
        long ms = ElevenLabsStreamInputConversation.audioMs(format, bytes);
        if (ms >= 0) {
            output.put("duration_ms", ms);
            record.metadata.put("audio_ms", Long.toString(ms));
        }
        record.output = output;
        record.metadata.put("voice", voice);
        record.metadata.put("format", format);
        record.metadata.put("audio_bytes", Long.toString(bytes));
        record.metadata.put("context_id", context.id);
        if (cut != null) {
            record.metadata.put("interrupted", "true");
            if (!cut.isEmpty()) {
                record.error = cut;
            }
        }
        out.accept(record);
    }

    @Override
    public void onEnd(SocketEvent event, Consumer<StageRecord> out) {
        for (Context context : open.values().toArray(new Context[0])) {
            open.remove(context.id);
            String failure = event.failure();
            String cut = failure != null ? failure
                    // text never flushed nor closed, or still being spoken when the socket was cut, was not all spoken
                    : event.cutShort() || !(context.flushed || context.closing) ? "" : null;
            finish(context, event, cut, out);
        }
    }
}
