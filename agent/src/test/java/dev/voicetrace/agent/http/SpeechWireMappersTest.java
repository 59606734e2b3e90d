package dev.voicetrace.agent.http;

import dev.voicetrace.agent.deepgram.DeepgramWireMapper;
import dev.voicetrace.agent.assemblyai.AssemblyAiWireMapper;
import dev.voicetrace.agent.elevenlabs.ElevenLabsWireMapper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deepgram, ElevenLabs and AssemblyAI wire JSON (recorded-style fixtures) onto the stage model. */
class SpeechWireMappersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EPS = 1e-12;
    private static final PriceTable PRICES = PriceTable.load(null);

    static JsonNode fixture(String name) {
        return JsonFixtures.json("/speech/" + name);
    }

    private static StageRecord record(StageKind kind, String provider) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = provider;
        return record;
    }

    // ---- Deepgram ----

    @Test
    void deepgramListenRequestAndResponse() {
        StageRecord record = record(StageKind.STT, "deepgram");
        Map<String, String> query = SpeechWire.query("model=nova-3&language=en&smart_format=true&sample_rate=16000"
                + "&callback_method=post");
        DeepgramWireMapper.listenRequest(query, "audio/wav", 80_044, null, record);
        DeepgramWireMapper.listenResponse(fixture("deepgram-listen-response.json"), record);

        assertEquals("nova-3", record.model);
        assertEquals(Map.of("language", "en", "smart_format", true, "sample_rate", 16000L), record.modelParameters,
                "known options only, typed");
        JsonNode audio = record.input.get("audio");
        assertEquals("audio/wav", audio.get("content_type").asText());
        assertEquals("wav", audio.get("format").asText());
        assertEquals(80_044, audio.get("bytes").asLong());
        assertEquals(2.5, audio.get("duration_seconds").asDouble(), EPS);
        assertEquals("en", record.input.get("language").asText());

        assertEquals("Hi, I'd like to book a table for two tonight.", record.outputText);
        assertEquals(record.outputText, record.output.get("text").asText());
        assertEquals(0.99853516, record.output.get("confidence").asDouble(), EPS);
        assertEquals("en", record.output.get("language").asText());
        assertEquals(2.5, record.audioSeconds, EPS);
        assertEquals("2500", record.metadata.get("billed_audio_ms"));
        assertEquals("en", record.metadata.get("detected_language"));
        assertEquals("6f1d7c52-3b8e-4a0f-9d27-84c5e0b1a3f6", record.metadata.get("request_id"));
        assertEquals("80044", record.metadata.get("audio_bytes"));

        PRICES.settle(record);
        assertEquals(0.0043 * 2.5 / 60, record.totalCost(), EPS, "nova-3 per audio minute");
    }

    @Test
    void deepgramModelFromTheResponseAndChannelsJoined() throws Exception {
        StageRecord record = record(StageKind.STT, "deepgram");
        DeepgramWireMapper.listenRequest(SpeechWire.query("multichannel=true"), "application/json", 61,
                JSON.readTree("{\"url\":\"https://storage.example.com/call.wav\"}"), record);
        DeepgramWireMapper.listenResponse(fixture("deepgram-listen-multichannel-response.json"), record);

        assertEquals("nova-2", record.model, "the architecture of the model that ran");
        assertEquals("https://storage.example.com/call.wav", record.input.get("audio").get("url").asText());
        assertFalse(record.input.get("audio").has("bytes"), "a URL request uploads no audio");
        assertEquals("Thanks for calling, how can I help?\nI'd like to change my booking.", record.outputText);
        assertEquals(2, record.output.get("channels").asInt());
        assertEquals(0.9921875, record.output.get("confidence").asDouble(), EPS);
        assertEquals("61440", record.metadata.get("billed_audio_ms"));
        PRICES.settle(record);
        assertEquals(0.0043 * 61.44 / 60, record.totalCost(), EPS);
    }

    @Test
    void deepgramSpeakLinear16Wav() throws Exception {
        StageRecord record = record(StageKind.TTS, "deepgram");
        Map<String, String> query = SpeechWire.query("model=aura-2-thalia-en&encoding=linear16&sample_rate=24000");
        DeepgramWireMapper.speakRequest(query, JSON.readTree("{\"text\":\"See you at seven thirty.\"}"), record);
        DeepgramWireMapper.speakResponse(query, 44 + 96_000, "audio/wav", "aura-2-thalia-en", "24", false, record);

        assertEquals("aura-2-thalia-en", record.model);
        assertEquals("See you at seven thirty.", record.inputText);
        assertEquals("thalia", record.input.get("voice").asText());
        assertEquals("thalia", record.metadata.get("voice"));
        assertEquals("wav", record.metadata.get("format"));
        assertEquals(24, record.characters);
        assertEquals(96_044, record.output.get("audio_bytes").asLong());
        assertEquals(2.0, record.output.get("duration_seconds").asDouble(), EPS);
        assertEquals("audio/wav", record.output.get("content_type").asText());
        PRICES.settle(record);
        assertEquals(24 * 30.0 / 1e6, record.totalCost(), EPS, "aura-2 per character");
    }

    @Test
    void deepgramSpeakMp3DefaultsAndBilledCharactersFromTheHeader() throws Exception {
        StageRecord record = record(StageKind.TTS, "deepgram");
        Map<String, String> query = SpeechWire.query("");
        DeepgramWireMapper.speakRequest(query, JSON.readTree("{\"text\":\"Hello!\"}"), record);
        DeepgramWireMapper.speakResponse(query, 12_000, "audio/mpeg", "aura-asteria-en", "5", true, record);

        assertEquals("aura-asteria-en", record.model, "the model the response header names");
        assertEquals("asteria", record.input.get("voice").asText());
        assertEquals("mp3", record.metadata.get("format"));
        assertEquals(5, record.characters, "dg-char-count is what was billed");
        assertFalse(record.output.has("duration_seconds"), "compressed audio has no computed duration");
        assertTrue(record.output.get("interrupted").asBoolean());
        PRICES.settle(record);
        assertEquals(5 * 15.0 / 1e6, record.totalCost(), EPS, "aura (1) per character");
    }

    @Test
    void voiceOfDeepgramModels() {
        assertEquals("thalia", DeepgramWireMapper.voiceOf("aura-2-thalia-en"));
        assertEquals("asteria", DeepgramWireMapper.voiceOf("aura-asteria-en"));
        assertEquals("celeste", DeepgramWireMapper.voiceOf("aura-2-celeste-es"));
        assertNull(DeepgramWireMapper.voiceOf("nova-3"));
        assertNull(DeepgramWireMapper.voiceOf(null));
    }

    // ---- ElevenLabs ----

    @Test
    void elevenLabsRequestWithVoiceSettingsAndPcmOutput() {
        StageRecord record = record(StageKind.TTS, "elevenlabs");
        ElevenLabsWireMapper.speechRequest("pNInz6obpgDQGcFmaJgB", SpeechWire.query("output_format=pcm_16000"),
                fixture("elevenlabs-tts-request.json"), record);
        ElevenLabsWireMapper.speechResponse(64_000, "audio/pcm", null, false, record);

        String text = "Your table for two is booked for seven thirty tonight. See you then!";
        assertEquals("eleven_turbo_v2_5", record.model);
        assertEquals(text, record.inputText);
        assertEquals(text, record.input.get("text").asText());
        assertEquals("pNInz6obpgDQGcFmaJgB", record.input.get("voice_id").asText());
        assertEquals("en", record.input.get("language_code").asText());
        assertEquals(0.4, record.input.get("voice_settings").get("stability").asDouble(), EPS);
        assertEquals("pcm_16000", record.modelParameters.get("output_format"));
        assertEquals(0.4, ((Number) record.modelParameters.get("stability")).doubleValue(), EPS);
        assertEquals(true, record.modelParameters.get("use_speaker_boost"));
        assertEquals(42, ((Number) record.modelParameters.get("seed")).intValue());
        assertEquals(text.length(), record.characters);
        assertTrue(record.usage.isEmpty(), "characters are not tokens");
        assertEquals("pNInz6obpgDQGcFmaJgB", record.metadata.get("voice"));
        assertEquals(2.0, record.output.get("duration_seconds").asDouble(), EPS, "16 kHz 16-bit PCM");
        assertEquals(2.0, record.audioSeconds, EPS);
        PRICES.settle(record);
        assertEquals(text.length() * 50.0 / 1e6, record.totalCost(), EPS, "turbo per character");
    }

    @Test
    void elevenLabsDefaultsAndCharacterCostHeader() throws Exception {
        StageRecord record = record(StageKind.TTS, "elevenlabs");
        ElevenLabsWireMapper.speechRequest("voice-1", SpeechWire.query(null),
                JSON.readTree("{\"text\":\"Ça marche, à ce soir.\"}"), record);
        ElevenLabsWireMapper.speechResponse(17_000, "audio/mpeg", "21", false, record);

        assertEquals("eleven_multilingual_v2", record.model, "ElevenLabs' default model");
        assertEquals("mp3_44100_128", record.metadata.get("format"));
        assertEquals(21, record.characters, "character-cost is what was billed");
        assertFalse(record.output.has("duration_seconds"));
        PRICES.settle(record);
        assertEquals(21 * 100.0 / 1e6, record.totalCost(), EPS);
    }

    @Test
    void elevenLabsUlawDuration() throws Exception {
        StageRecord record = record(StageKind.TTS, "elevenlabs");
        ElevenLabsWireMapper.speechRequest("v", SpeechWire.query("output_format=ulaw_8000"),
                JSON.readTree("{\"text\":\"Hi\",\"model_id\":\"eleven_flash_v2_5\"}"), record);
        ElevenLabsWireMapper.speechResponse(12_000, "audio/basic", null, false, record);
        assertEquals(1.5, record.output.get("duration_seconds").asDouble(), EPS);
    }

    // ---- AssemblyAI ----

    @Test
    void assemblyAiCreateRequestAndCompletedTranscript() {
        StageRecord record = record(StageKind.STT, "assemblyai");
        AssemblyAiWireMapper.createRequest(fixture("assemblyai-create-request.json"), record);
        JsonNode completed = fixture("assemblyai-transcript-completed.json");
        assertEquals("completed", AssemblyAiWireMapper.status(completed));
        AssemblyAiWireMapper.transcript(completed, record);

        assertEquals("slam-1", record.model, "the requested model");
        assertEquals(Map.of("language_code", "en_us", "punctuate", true, "format_text", true, "speaker_labels", true),
                record.modelParameters);
        assertEquals("https://storage.example.com/calls/2026-11-20/inbound-0042.mp3",
                record.input.get("audio").get("url").asText());
        assertEquals(5.3, record.input.get("audio").get("duration_seconds").asDouble(), EPS);
        String text = "Hello, this is a message for the reservations team, please call me back about my booking.";
        assertEquals(text, record.outputText);
        assertEquals(0.9712, record.output.get("confidence").asDouble(), EPS);
        assertEquals("en_us", record.output.get("language").asText());
        assertEquals(16, record.output.get("words").asInt());
        assertEquals(5.3, record.audioSeconds, EPS);
        assertEquals("5300", record.metadata.get("billed_audio_ms"));
        assertEquals("6b1f0a3e-92d4-4c57-8e1a-3f5d7b9c2a14", record.metadata.get("transcript_id"));
        PRICES.settle(record);
        assertEquals(0.27 * 5.3 / 3600, record.totalCost(), EPS, "slam-1 per audio hour");
    }

    @Test
    void assemblyAiModelFromTheTranscriptOrTheDefault() throws Exception {
        StageRecord named = record(StageKind.STT, "assemblyai");
        AssemblyAiWireMapper.createRequest(JSON.readTree("{\"audio_url\":\"https://x.example/a.wav\"}"), named);
        AssemblyAiWireMapper.transcript(fixture("assemblyai-transcript-completed.json"), named);
        assertEquals("universal", named.model);

        StageRecord unnamed = record(StageKind.STT, "assemblyai");
        AssemblyAiWireMapper.createRequest(JSON.createObjectNode(), unnamed);
        AssemblyAiWireMapper.transcript(JSON.readTree("{\"id\":\"t\",\"status\":\"completed\",\"text\":\"ok\","
                + "\"speech_model\":null,\"audio_duration\":3600}"), unnamed);
        assertEquals("universal", unnamed.model, "AssemblyAI's model when none is named");
        PRICES.settle(unnamed);
        assertEquals(0.15, unnamed.totalCost(), EPS);
    }

    @Test
    void assemblyAiFailedTranscriptIsAnError() {
        StageRecord record = record(StageKind.STT, "assemblyai");
        JsonNode failed = fixture("assemblyai-transcript-error.json");
        assertEquals("error", AssemblyAiWireMapper.status(failed));
        AssemblyAiWireMapper.transcript(failed, record);
        assertTrue(record.error.startsWith("transcript error: Download error, unable to download"), record.error);
        assertNull(record.outputText);
        assertEquals("slam-1", record.model);
    }

    // ---- shared ----

    @Test
    void errorBodiesOfEachVendor() throws Exception {
        assertEquals("HTTP 401: Invalid credentials.", SpeechWire.httpError(401, fixture("deepgram-error-401.json")));
        assertEquals("HTTP 401: Invalid API key", SpeechWire.httpError(401, fixture("elevenlabs-error-401.json")));
        assertEquals("HTTP 400: Transcript lookup error, transcript id not found",
                SpeechWire.httpError(400, JSON.readTree("{\"error\":\"Transcript lookup error, transcript id not found\"}")));
        assertEquals("HTTP 422: field required", SpeechWire.httpError(422, JSON.readTree("{\"detail\":\"field required\"}")));
        assertEquals("HTTP 503", SpeechWire.httpError(503, null));
    }

    @Test
    void vendorPricesAreKeyedByProvider() {
        StageRecord elsewhere = record(StageKind.STT, "someone-else");
        elsewhere.model = "universal";
        elsewhere.audioSeconds = 60;
        PRICES.settle(elsewhere);
        assertTrue(elsewhere.cost.isEmpty(), "a generic model name of another provider is not priced as AssemblyAI's");

        StageRecord assembly = record(StageKind.STT, "assemblyai");
        assembly.model = "universal";
        assembly.audioSeconds = 60;
        PRICES.settle(assembly);
        assertEquals(0.15 / 60, assembly.totalCost(), EPS);
    }

    @Test
    void queryStringsAreDecodedAndFirstValuesWin() {
        Map<String, String> query = SpeechWire.query("keyterm=table%20for%20two&model=nova-3&model=base&flag");
        assertEquals("table for two", query.get("keyterm"));
        assertEquals("nova-3", query.get("model"));
        assertEquals("", query.get("flag"));
        assertEquals(List.of("keyterm", "model", "flag"), List.copyOf(query.keySet()));
    }

    @Test
    void formatsOfContentTypes() {
        assertEquals("wav", SpeechWire.formatOf("audio/x-wav"));
        assertEquals("mp3", SpeechWire.formatOf("audio/mpeg"));
        assertEquals("ogg", SpeechWire.formatOf("audio/ogg; codecs=opus"));
        assertEquals("flac", SpeechWire.formatOf("audio/flac"));
        assertNull(SpeechWire.formatOf(null));
    }
}
