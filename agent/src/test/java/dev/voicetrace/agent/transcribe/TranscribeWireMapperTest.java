package dev.voicetrace.agent.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscribeWireMapperTest {

    private static final double EPS = 1e-12;

    private static JsonNode fixture(String name) {
        return JsonFixtures.json("/transcribe/" + name);
    }

    private static List<JsonNode> events(String name) {
        return JsonFixtures.jsonLines("/transcribe/" + name);
    }

    private static StageRecord record() {
        StageRecord record = new StageRecord();
        record.kind = StageKind.STT;
        record.provider = "aws-transcribe";
        record.operation = "StartStreamTranscription";
        return record;
    }

    @Test
    void pcmStreamWithPartialAndFinalResults() {
        StageRecord record = record();
        // 2.3 s of 16-bit mono PCM at 16 kHz
        TranscribeWireMapper.request(fixture("start-stream-request-pcm.json"), 73_600, record);
        TranscribeWireMapper.response(fixture("start-stream-response-headers.json"), record);
        int first = TranscribeWireMapper.transcriptEvents(events("transcript-events-two-utterances.jsonl"), record);
        TranscribeWireMapper.billing(false, record);

        assertEquals("aws-transcribe-streaming", record.model);
        assertEquals("en-US", record.modelParameters.get("language_code"));
        assertEquals(16000L, ((Number) record.modelParameters.get("sample_rate")).longValue());
        assertEquals("pcm", record.modelParameters.get("media_encoding"));
        assertEquals("restaurant-terms", record.modelParameters.get("vocabulary_name"));
        assertEquals(true, record.modelParameters.get("enable_partial_results_stabilization"));
        assertEquals("high", record.modelParameters.get("partial_results_stability"));
        assertFalse(record.modelParameters.containsKey("session_id"), "the session id is no parameter");

        JsonNode audio = record.input.get("audio");
        assertEquals("pcm", audio.get("encoding").asText());
        assertEquals(16000, audio.get("sample_rate_hertz").asInt());
        assertEquals(73_600, audio.get("bytes").asLong());
        assertEquals(2.3, audio.get("duration_seconds").asDouble(), EPS);
        assertEquals("en-US", record.input.get("language").asText());
        assertEquals("73600", record.metadata.get("audio_bytes"));

        // the first event has no results: the first result is the second event
        assertEquals(1, first);
        assertEquals("Can you book a table? For two.", record.outputText);
        assertEquals(record.outputText, record.output.get("text").asText());
        assertEquals(2, record.output.get("final_results").asInt());
        assertEquals(3, record.output.get("partial_results").asInt());
        assertEquals("3", record.metadata.get("partial_results"));
        assertFalse(record.metadata.containsKey("final_result"));
        // the mean of the final results' word confidences, punctuation left out
        double mean = (0.99 + 0.97 + 0.95 + 0.93 + 0.96 + 1.0 + 0.98) / 7;
        assertEquals(Math.round(mean * 10_000) / 10_000.0, record.output.get("confidence").asDouble(), EPS);
        assertFalse(record.output.has("language"), "no language identification was asked for");

        assertEquals("5c0f2d3e-8a41-4d1c-b1f6-2f9e7c3a0b11", record.metadata.get("request_id"));
        assertEquals("0e7b9c5e-4c7a-4f0e-9f43-5d2b6a1c8e01", record.metadata.get("session_id"));

        // 2.3 s is billed as the 15-second minimum
        assertEquals(15.0, record.audioSeconds, EPS);
        assertEquals("15000", record.metadata.get("billed_audio_ms"));
        assertEquals("2300", record.metadata.get("audio_ms"), "the audio sent, beside what is billed");
        PriceTable.load(null).settle(record);
        assertEquals(15 / 60.0 * 0.024, record.cost.get("total"), EPS);
    }

    @Test
    void audioOverTheMinimumIsBilledByTheStartedSecond() {
        StageRecord record = record();
        // 20.25 s at 16 kHz
        TranscribeWireMapper.request(fixture("start-stream-request-pcm.json"), 648_000, record);
        TranscribeWireMapper.transcriptEvents(events("transcript-events-two-utterances.jsonl"), record);
        TranscribeWireMapper.billing(false, record);

        assertEquals(20.25, record.input.get("audio").get("duration_seconds").asDouble(), EPS);
        assertEquals("21000", record.metadata.get("billed_audio_ms"));
        PriceTable.load(null).settle(record);
        assertEquals(21 / 60.0 * 0.024, record.cost.get("total"), EPS);
    }

    @Test
    void identifiedLanguageAndAStreamThatEndedOnAPartialResult() {
        StageRecord record = record();
        TranscribeWireMapper.request(fixture("start-stream-request-identify-language.json"), 9_000, record);
        int first = TranscribeWireMapper.transcriptEvents(
                events("transcript-events-identified-partial-only.jsonl"), record);
        TranscribeWireMapper.billing(false, record);

        assertNull(record.input.get("language"), "no language was named");
        assertTrue(record.input.get("identify_language").asBoolean());
        assertEquals("en-US,es-US", record.input.get("language_options").asText());
        assertEquals(true, record.modelParameters.get("identify_language"));
        assertEquals("en-US", record.modelParameters.get("preferred_language"));
        // Ogg Opus: its duration is not computed from bytes
        assertFalse(record.input.get("audio").has("duration_seconds"));

        assertEquals(0, first);
        assertEquals("Hola buenas", record.outputText, "the latest partial text when no result became final");
        assertEquals("none", record.metadata.get("final_result"));
        assertEquals(0, record.output.get("final_results").asInt());
        assertEquals(2, record.output.get("partial_results").asInt());
        assertEquals("es-US", record.output.get("language").asText());
        assertEquals("es-US", record.metadata.get("detected_language"));
        // the audio transcribed, by the last result's end, billed at the minimum
        assertEquals("result_end_time", record.metadata.get("audio_seconds_from"));
        assertEquals("15000", record.metadata.get("billed_audio_ms"));
    }

    @Test
    void aRefusedStreamIsNotBilled() {
        StageRecord record = record();
        TranscribeWireMapper.request(fixture("start-stream-request-pcm.json"), 32_000, record);
        assertEquals(1.0, record.audioSeconds, EPS);
        TranscribeWireMapper.billing(true, record);

        assertEquals(0.0, record.audioSeconds, EPS);
        assertTrue(record.usage.isEmpty());
        assertEquals(32_000, record.input.get("audio").get("bytes").asLong(), "what was sent is still shown");
        PriceTable.load(null).settle(record);
        assertTrue(record.cost.isEmpty());
    }

    @Test
    void unknownAudioSizeLeavesBytesAndDurationOut() {
        StageRecord record = record();
        TranscribeWireMapper.request(fixture("start-stream-request-pcm.json"), -1, record);

        assertFalse(record.input.get("audio").has("bytes"));
        assertFalse(record.input.get("audio").has("duration_seconds"));
        assertNull(record.metadata.get("audio_bytes"));
    }
}
