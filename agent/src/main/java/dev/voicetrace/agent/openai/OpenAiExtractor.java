package dev.voicetrace.agent.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.SdkJson;
import dev.voicetrace.agent.model.StageRecord;

/** Reads openai-java calls: the SDK objects become wire JSON, which {@link OpenAiWireMapper} maps. */
final class OpenAiExtractor implements CallExtractor {

    static final String OBJECT_MAPPERS = "com.openai.core.ObjectMappers";

    private final SdkJson json = new SdkJson(OBJECT_MAPPERS);

    @Override
    public void extract(CompletedCall call, StageRecord record) throws Exception {
        JsonNode request = json.requestBody(call);
        String apiHost = SdkJson.apiHost(call.receiver());
        if (apiHost != null) {
            record.metadata.put("api_host", apiHost);
        }
        switch (call.spec().operation) {
            case OpenAiOperations.CHAT:
                OpenAiWireMapper.chatRequest(request, record);
                if (call.spec().streaming) {
                    firstOutputAt(call, OpenAiWireMapper.chatChunks(json.streamItems(call), record), record);
                } else if (call.response() != null) {
                    OpenAiWireMapper.chatResponse(json.response(call), record);
                }
                break;
            case OpenAiOperations.RESPONSES:
                OpenAiWireMapper.responsesRequest(request, record);
                if (call.spec().streaming) {
                    firstOutputAt(call, OpenAiWireMapper.responsesEvents(json.streamItems(call), record), record);
                } else if (call.response() != null) {
                    OpenAiWireMapper.responsesResponse(json.response(call), record);
                }
                break;
            case OpenAiOperations.TRANSCRIPTION:
            case OpenAiOperations.TRANSLATION:
                OpenAiWireMapper.transcriptionRequest(request, call.requestContentBytes(), record);
                if (call.spec().streaming) {
                    firstOutputAt(call, OpenAiWireMapper.transcriptionEvents(json.streamItems(call), record), record);
                } else if (call.response() != null) {
                    OpenAiWireMapper.transcriptionResponse(json.response(call), record);
                }
                break;
            case OpenAiOperations.SPEECH:
                OpenAiWireMapper.speechRequest(request, record);
                if (record.error == null) {
                    OpenAiWireMapper.speechResponse(call.bodyBytes(), call.bodyContentType(), call.interrupted(), record);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown OpenAI operation " + call.spec().operation);
        }
    }

    /** The first token's time is when the first item with output arrived, not the first item. */
    private static void firstOutputAt(CompletedCall call, int itemIndex, StageRecord record) {
        if (itemIndex >= 0) {
            record.firstOutputEpochNanos = call.streamItemTime(itemIndex);
        }
    }
}
