package dev.voicetrace.agent.googlespeech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoogleSpeechWireMapperTest {

    private static final double EPS = 1e-9;
    private static final PriceTable PRICES = PriceTable.load(null);

    static JsonNode fixture(String name) {
        return JsonFixtures.json("/googlespeech/" + name);
    }

    private static StageRecord record(StageKind kind) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = kind == StageKind.STT ? "google-speech" : "google-texttospeech";
        return record;
    }

    @Test
    void v1UnaryRecognitionJoinsResultsAndPricesTheBilledTime() {
        StageRecord record = record(StageKind.STT);
        JsonNode request = fixture("recognize-v1-request.json");
        GoogleSpeechWireMapper.recognitionRequest("v1", request.get("config"),
                request.path("audio").path("contentBytes").asLong(-1), null, record);
        assertEquals(1.5, record.audioSeconds, EPS, "48,000 bytes of 16-bit 16 kHz mono");
        GoogleSpeechWireMapper.recognizeResponse("v1", fixture("recognize-v1-response.json"), record);

        assertEquals("google-speech-v1/latest_short", record.model);
        assertEquals("Is the tile museum open on Sunday?", record.outputText, "best alternatives, in order");
        assertEquals(record.outputText, record.output.get("text").asText());
        assertEquals(0.94, record.output.get("confidence").asDouble(), EPS, "mean of the results' best");
        assertEquals("en-us", record.output.get("language").asText());
        assertEquals(2, record.output.get("results").asInt());
        assertEquals(48_000, record.input.path("audio").path("bytes").asLong());
        assertEquals(1.5, record.input.path("audio").path("duration_seconds").asDouble(), EPS);
        assertEquals("LINEAR16", record.modelParameters.get("encoding"));
        assertEquals(16_000L, record.modelParameters.get("sample_rate_hertz"));
        assertEquals("en-US", record.modelParameters.get("language"));
        // billed: 2 s, what the call costs
        assertEquals(2.0, record.audioSeconds, EPS);
        assertEquals("2000", record.metadata.get("billed_audio_ms"));
        PRICES.settle(record);
        assertTrue(record.usage.isEmpty(), "seconds are not tokens");
        assertEquals(2.0 / 60 * 0.024, record.cost.get("total"), EPS);
    }

    @Test
    void v2UnaryRecognitionReadsExplicitDecodingAndMetadata() {
        StageRecord record = record(StageKind.STT);
        JsonNode request = fixture("recognize-v2-request.json");
        GoogleSpeechWireMapper.recognitionRequest("v2", request.get("config"), request.get("contentBytes").asLong(),
                null, record);
        assertEquals(2.0, record.audioSeconds, EPS, "64,000 bytes of 16-bit 8 kHz stereo");
        GoogleSpeechWireMapper.recognizeResponse("v2", fixture("recognize-v2-response.json"), record);

        assertEquals("google-speech-v2/chirp_2", record.model);
        assertEquals("Thanks, that's all.", record.outputText);
        assertEquals("en-US", record.input.get("language").asText());
        assertEquals(2.0, record.audioSeconds, EPS);
        assertEquals("2000", record.metadata.get("billed_audio_ms"));
        PRICES.settle(record);
        assertEquals(2.0 / 60 * 0.016, record.cost.get("total"), EPS);
    }

    @Test
    void v1StreamCountsInterimResultsAndTakesTheFinalTranscript() {
        StageRecord record = record(StageKind.STT);
        List<JsonNode> responses = JsonFixtures.jsonLines("/googlespeech/streaming-v1-responses.jsonl");
        int first = GoogleSpeechWireMapper.streamingResponses("v1", responses, record);

        assertEquals(0, first, "the first interim result is the first result");
        assertEquals("What's the weather like in Lisbon today?", record.outputText);
        assertEquals(3, record.output.get("partial_results").asInt());
        assertEquals(1, record.output.get("final_results").asInt());
        assertEquals("3", record.metadata.get("partial_results"));
        assertEquals(0.9617, record.output.get("confidence").asDouble(), EPS);
        assertEquals(2.0, record.audioSeconds, EPS);
    }

    @Test
    void v2StreamJoinsFinalSegmentsAndSkipsEmptyResponses() {
        StageRecord record = record(StageKind.STT);
        List<JsonNode> responses = new java.util.ArrayList<>();
        responses.add(JsonNodeFactory.instance.objectNode().put("speechEventType", "SPEECH_ACTIVITY_BEGIN"));
        responses.addAll(JsonFixtures.jsonLines("/googlespeech/streaming-v2-responses.jsonl"));
        int first = GoogleSpeechWireMapper.streamingResponses("v2", responses, record);

        assertEquals(1, first, "a response without results is no result");
        assertEquals("Can you book a table for two at eight? Outside, please.", record.outputText);
        assertEquals(2, record.output.get("final_results").asInt());
        assertEquals(1, record.output.get("partial_results").asInt());
        assertEquals(0.9, record.output.get("confidence").asDouble(), EPS);
        assertEquals(3.0, record.audioSeconds, EPS);
        assertEquals("3000", record.metadata.get("billed_audio_ms"));
    }

    @Test
    void aStreamEndedBeforeAFinalResultKeepsTheLatestInterimText() {
        StageRecord record = record(StageKind.STT);
        List<JsonNode> responses = JsonFixtures.jsonLines("/googlespeech/streaming-v1-responses.jsonl").subList(0, 3);
        GoogleSpeechWireMapper.streamingResponses("v1", responses, record);
        assertEquals("What's the weather like", record.outputText);
        assertEquals("none", record.metadata.get("final_result"));
        assertFalse(record.output.has("confidence"));
        assertEquals(0, record.audioSeconds, EPS, "no billed time reported");
    }

    @Test
    void unbilledLinear16AudioFallsBackToTheSecondsSent() {
        StageRecord record = record(StageKind.STT);
        GoogleSpeechWireMapper.recognitionRequest("v1", fixture("recognize-v1-request.json").get("config"), 48_000,
                null, record);
        GoogleSpeechWireMapper.audioUsageFallback(record);
        assertEquals("1500", record.metadata.get("billed_audio_ms"), "whole milliseconds, never rounded to seconds");
        assertEquals(1.5, record.audioSeconds, EPS);
    }

    @Test
    void synthesisCountsSsmlAsSentAndLinksItsSpokenText() {
        StageRecord record = record(StageKind.TTS);
        JsonNode request = fixture("synthesize-request.json");
        GoogleSpeechWireMapper.synthesisRequest(request.get("input"), request.get("voice"), request.get("audioConfig"),
                record);
        GoogleSpeechWireMapper.synthesisOutput(44 + 48_000, -1, record);

        assertEquals("google-tts/neural2", record.model);
        assertEquals("Your table is booked for eight.", record.inputText);
        assertTrue(record.input.get("ssml").asText().startsWith("<speak>"));
        String ssml = request.path("input").path("ssml").asText();
        assertEquals(ssml.length(), record.characters, "Google bills SSML tags as characters");
        assertTrue(record.usage.isEmpty(), "characters are not tokens");
        assertEquals(1.1, (Double) record.modelParameters.get("speaking_rate"), EPS);
        assertEquals(1.0, record.audioSeconds, EPS, "a WAV header, then 48,000 bytes at 24 kHz");
        assertEquals(1.0, record.output.get("duration_seconds").asDouble(), EPS);
        PRICES.settle(record);
        assertEquals(ssml.length() * 16.0 / 1e6, record.cost.get("total"), EPS);
    }

    @Test
    void streamedSynthesisIsRawPcmAndChirpIsPriced() {
        StageRecord record = record(StageKind.TTS);
        JsonNode voice = JsonNodeFactory.instance.objectNode().put("name", "en-US-Chirp3-HD-Aoede")
                .put("languageCode", "en-US");
        JsonNode audio = JsonNodeFactory.instance.objectNode().put("audioEncoding", "PCM").put("sampleRateHertz", 24000);
        JsonNode input = JsonNodeFactory.instance.objectNode().put("text", "Yes, it opens at ten.");
        GoogleSpeechWireMapper.synthesisRequest(input, voice, audio, record);
        GoogleSpeechWireMapper.synthesisOutput(96_000, 6, record);
        assertEquals("google-tts/chirp3-hd", record.model);
        assertEquals(2.0, record.audioSeconds, EPS);
        assertEquals(6, record.output.get("audio_chunks").asInt());
        PRICES.settle(record);
        assertEquals(21 * 30.0 / 1e6, record.cost.get("total"), EPS);
    }

    @Test
    void voiceTypesFromVoiceNames() {
        assertEquals("standard", GoogleSpeechWireMapper.voiceType("en-US-Standard-A"));
        assertEquals("wavenet", GoogleSpeechWireMapper.voiceType("de-DE-Wavenet-B"));
        assertEquals("chirp-hd", GoogleSpeechWireMapper.voiceType("en-US-Chirp-HD-F"));
        assertEquals("polyglot", GoogleSpeechWireMapper.voiceType("en-US-Polyglot-1"));
        assertEquals("unnamed", GoogleSpeechWireMapper.voiceType(""));
        assertEquals("kore", GoogleSpeechWireMapper.voiceType("Kore"), "a Gemini voice name has no type part");
    }

    @Test
    void durationsAndMissingFields() {
        assertEquals(1.5, GoogleSpeechWireMapper.durationSeconds("1.500s"), EPS);
        assertEquals(0, GoogleSpeechWireMapper.durationSeconds("soon"), EPS);
        assertEquals(0, GoogleSpeechWireMapper.durationSeconds(null), EPS);
        StageRecord record = record(StageKind.STT);
        GoogleSpeechWireMapper.recognitionRequest("v1", JsonNodeFactory.instance.objectNode(), -1, "gs://bucket/a.flac",
                record);
        GoogleSpeechWireMapper.recognizeResponse("v1", JsonNodeFactory.instance.objectNode(), record);
        assertEquals("google-speech-v1/default", record.model);
        assertEquals("gs://bucket/a.flac", record.input.path("audio").path("uri").asText());
        assertEquals("", record.outputText);
        assertEquals(0, record.audioSeconds, EPS);
        assertNull(record.metadata.get("billed_audio_ms"));
    }
}
