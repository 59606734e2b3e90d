package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.awssdk.AwsPojoJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Transcribe streaming call on the processing thread: the request, the initial response
 * and the transcript events are AWS SDK model objects, read as their wire form through the SDK's
 * field metadata ({@link AwsPojoJson}: header members by their header names, event members by
 * their JSON names), which {@link TranscribeWireMapper} maps.
 */
final class TranscribeStreamingExtractor implements CallExtractor {

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        Object[] arguments = call.arguments();
        TranscribeWireMapper.request(AwsPojoJson.toJson(arguments[0]), call.requestContentBytes(), record);
        if (call.response() != null) {
            TranscribeWireMapper.response(AwsPojoJson.toJson(call.response()), record);
        }
        List<Object> items = call.streamItems();
        List<JsonNode> events = new ArrayList<>(items.size());
        for (Object item : items) {
            events.add(AwsPojoJson.toJson(item));
        }
        if (record.error != null && events.isEmpty()) {
            // refused before any transcript: nothing was transcribed, nothing is billed
            TranscribeWireMapper.billing(true, record);
            return;
        }
        int first = TranscribeWireMapper.transcriptEvents(events, record);
        record.firstOutputEpochNanos = first >= 0 ? call.streamItemTime(first) : 0;
        TranscribeWireMapper.billing(record.error != null && first < 0, record);
    }
}
