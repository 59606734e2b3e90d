package dev.voicetrace.agent.googlespeech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Google speech calls on the processing thread: the protobuf messages become REST-shaped
 * JSON ({@link ProtoFields}) that {@link GoogleSpeechWireMapper} maps.
 */
final class GoogleSpeechExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        switch (call.spec().operation) {
            case GoogleSpeechOperations.RECOGNIZE_V1:
            case GoogleSpeechOperations.LONG_RUNNING_V1:
            case GoogleSpeechOperations.RECOGNIZE_V2:
                recognize(call, record, GoogleSpeechOperations.RECOGNIZE_V2.equals(call.spec().operation));
                break;
            case GoogleSpeechOperations.SYNTHESIZE:
                synthesize(call, record);
                break;
            case GoogleSpeechOperations.STREAMING:
                stream(call, record);
                break;
            default:
                throw new IllegalArgumentException("unknown Google speech operation " + call.spec().operation);
        }
    }

    private static void recognize(CompletedCall call, StageRecord record, boolean v2) {
        String version = v2 ? "v2" : "v1";
        ObjectNode request = ProtoFields.recognizeRequest(call.request(), v2);
        JsonNode audio = v2 ? request : request.path("audio");
        GoogleSpeechWireMapper.recognitionRequest(version, request.path("config"),
                audio.path("contentBytes").asLong(-1), audio.hasNonNull("uri") ? audio.get("uri").asText() : null,
                record);
        if (call.response() != null) {
            GoogleSpeechWireMapper.recognizeResponse(version, ProtoFields.recognizeResponse(call.response(), v2),
                    record);
            firstOutputAtEnd(record);
            GoogleSpeechWireMapper.audioUsageFallback(record);
        } else {
            // a refused request is not billed; the input still tells how much audio was sent
            record.audioSeconds = 0;
        }
    }

    private static void synthesize(CompletedCall call, StageRecord record) {
        ObjectNode request = ProtoFields.synthesizeRequest(call.request());
        GoogleSpeechWireMapper.synthesisRequest(request.path("input"), request.path("voice"),
                request.path("audioConfig"), record);
        if (call.response() != null) {
            GoogleSpeechWireMapper.synthesisOutput(ProtoFields.byteSize(call.response(), "getAudioContent"), -1,
                    record);
            firstOutputAtEnd(record);
        } else {
            // a refused request synthesised nothing and is not billed
            record.characters = 0;
        }
    }

    /** A unary call's result arrives whole: its first result (or audio byte) is its end. */
    private static void firstOutputAtEnd(StageRecord record) {
        if (record.firstOutputEpochNanos == 0 && record.error == null) {
            record.firstOutputEpochNanos = record.endEpochNanos;
        }
    }

    private static void stream(CompletedCall call, StageRecord record) {
        StreamCapture capture = (StreamCapture) call.response();
        StreamKind kind = capture.kind;
        record.provider = kind.provider;
        record.operation = kind.operation;
        record.kind = kind.recognition ? StageKind.STT : StageKind.TTS;
        if (capture.turnAnchor != 0) {
            record.contextTurnAnchor = capture.turnAnchor;
        }
        List<Object> items = call.streamItems();
        if (kind.recognition) {
            boolean v2 = kind == StreamKind.STT_V2;
            String version = v2 ? "v2" : "v1";
            ObjectNode first = ProtoFields.streamingConfig(capture.firstRequest(), v2);
            JsonNode streaming = first.path("streamingConfig");
            GoogleSpeechWireMapper.recognitionRequest(version, streaming.path("config"), capture.audioBytes(), null,
                    record);
            boolean interim = v2 ? streaming.path("streamingFeatures").path("interimResults").asBoolean(false)
                    : streaming.path("interimResults").asBoolean(false);
            record.modelParameters.put("interim_results", interim);
            record.metadata.put("audio_chunks", Integer.toString(capture.audioChunks()));
            List<JsonNode> responses = new ArrayList<>(items.size());
            for (Object item : items) {
                responses.add(ProtoFields.recognizeResponse(item, v2));
            }
            int firstResult = GoogleSpeechWireMapper.streamingResponses(version, responses, record);
            record.firstOutputEpochNanos = firstResult >= 0 ? call.streamItemTime(firstResult) : 0;
            if (record.error == null) {
                GoogleSpeechWireMapper.audioUsageFallback(record);
            } else if (!record.metadata.containsKey("billed_audio_ms")) {
                // a failed stream without a billed time from Google is not priced
                record.audioSeconds = 0;
            }
        } else {
            ObjectNode config = ProtoFields.streamingSynthesizeConfig(capture.firstRequest());
            ObjectNode input = Json.NODES.objectNode();
            input.put("text", String.join("", capture.texts()));
            GoogleSpeechWireMapper.synthesisRequest(input, config.path("voice"), config.path("streamingAudioConfig"),
                    record);
            record.metadata.put("text_chunks", Integer.toString(capture.texts().size()));
            long bytes = 0;
            int firstAudio = -1;
            for (int i = 0; i < items.size(); i++) {
                long size = ProtoFields.byteSize(items.get(i), "getAudioContent");
                if (size > 0) {
                    bytes += size;
                    firstAudio = firstAudio < 0 ? i : firstAudio;
                }
            }
            GoogleSpeechWireMapper.synthesisOutput(bytes, items.size(), record);
            record.firstOutputEpochNanos = firstAudio >= 0 ? call.streamItemTime(firstAudio) : 0;
        }
        if (call.interrupted()) {
            ((ObjectNode) record.output).put("interrupted", true);
        }
    }
}
