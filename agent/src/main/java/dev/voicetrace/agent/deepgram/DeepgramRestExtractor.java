package dev.voicetrace.agent.deepgram;

import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.model.StageRecord;

/** Deepgram's pre-recorded transcription ({@code /v1/listen}) and speech ({@code /v1/speak}) calls. */
final class DeepgramRestExtractor extends RestCallExtractor {

    @Override
    protected void read(Exchange call, StageRecord record) throws Exception {
        if (DeepgramApi.LISTEN.equals(record.operation)) {
            DeepgramWireMapper.listenRequest(call.query, call.http.requestContentType, call.http.requestContentLength,
                    call.requestIsJson() ? json(call.http.requestBody) : null, record);
            if (!call.failed && call.responseJson != null) {
                DeepgramWireMapper.listenResponse(call.responseJson, record);
            }
        } else if (DeepgramApi.SPEAK.equals(record.operation)) {
            DeepgramWireMapper.speakRequest(call.query, call.requestJson(), record);
            if (!call.failed && record.error == null) {
                DeepgramWireMapper.speakResponse(call.query, call.http.response.bodyBytes(),
                        call.http.response.header("content-type"), call.http.response.header("dg-model-name"),
                        call.http.response.header("dg-char-count"), call.interrupted, record);
            }
        } else {
            throw new IllegalArgumentException("unknown Deepgram operation " + record.operation);
        }
    }
}
