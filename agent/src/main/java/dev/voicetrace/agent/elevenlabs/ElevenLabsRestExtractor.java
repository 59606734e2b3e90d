package dev.voicetrace.agent.elevenlabs;

import dev.voicetrace.agent.http.RestCallExtractor;
import dev.voicetrace.agent.model.StageRecord;

/** ElevenLabs' text-to-speech calls ({@code /v1/text-to-speech/{voice_id}[/stream]}). */
final class ElevenLabsRestExtractor extends RestCallExtractor {

    @Override
    protected void read(Exchange call, StageRecord record) throws Exception {
        if (!ElevenLabsApi.TEXT_TO_SPEECH.equals(record.operation)) {
            throw new IllegalArgumentException("unknown ElevenLabs operation " + record.operation);
        }
        ElevenLabsWireMapper.speechRequest(ElevenLabsApi.voice(call.path), call.query, call.requestJson(), record);
        if (!call.failed && record.error == null) {
            ElevenLabsWireMapper.speechResponse(call.http.response.bodyBytes(),
                    call.http.response.header("content-type"), call.http.response.header("character-cost"),
                    call.interrupted, record);
        }
    }
}
