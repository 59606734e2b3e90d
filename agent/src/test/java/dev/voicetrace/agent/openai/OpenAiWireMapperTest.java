package dev.voicetrace.agent.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.JsonFixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.agent.cost.UsageBuckets;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiWireMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String name) {
        return JsonFixtures.json("/openai/" + name);
    }

    static List<JsonNode> fixtureLines(String name) {
        return JsonFixtures.jsonLines("/openai/" + name);
    }

    private static StageRecord record(StageKind kind) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = "openai";
        return record;
    }

    // ---- chat completions ----

    @Test
    void chatRequestKeepsModelParametersAndMessageOrder() {
        StageRecord record = record(StageKind.LLM);
        OpenAiWireMapper.chatRequest(fixture("chat-request.json"), record);

        assertEquals("gpt-4o-mini", record.model);
        assertEquals(0.2, ((Number) record.modelParameters.get("temperature")).doubleValue());
        assertEquals(256, ((Number) record.modelParameters.get("max_completion_tokens")).intValue());
        assertEquals(42, ((Number) record.modelParameters.get("seed")).intValue());
        assertEquals("text", record.modelParameters.get("response_format"));
        assertFalse(record.modelParameters.containsKey("tools"), "tools are input, not parameters");
        assertFalse(record.modelParameters.containsKey("model"));

        JsonNode messages = record.input.get("messages");
        assertEquals(4, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("user", messages.get(1).get("role").asText());
        assertEquals("Hi, are you open today?", messages.get(1).get("content").asText());
        assertEquals("assistant", messages.get(2).get("role").asText());
        assertEquals("user", messages.get(3).get("role").asText());
        assertEquals("get_opening_hours", record.input.at("/tools/0/function/name").asText());
        assertEquals("auto", record.input.get("tool_choice").asText());

        // The latest user message, from a content-part array, not the first one.
        assertEquals("What time do you open tomorrow?", record.inputText);
    }

    @Test
    void chatRequestWithoutUserMessageHasNoInputText() {
        StageRecord record = record(StageKind.LLM);
        OpenAiWireMapper.chatRequest(JSON.createObjectNode().put("model", "gpt-4o")
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("role", "system").put("content", "Be brief."))), record);
        assertEquals("gpt-4o", record.model);
        assertNull(record.inputText);
        assertEquals(1, record.input.get("messages").size());
    }

    @Test
    void chatResponseMapsUsageDetailsFinishReasonAndText() {
        StageRecord record = record(StageKind.LLM);
        OpenAiWireMapper.chatRequest(fixture("chat-request.json"), record);
        OpenAiWireMapper.chatResponse(fixture("chat-response.json"), record);

        assertEquals("gpt-4o-mini-2024-07-18", record.model, "the response's exact model wins over the request's alias");
        assertEquals("We open at seven tomorrow. Fresh croissants are ready by eight!", record.outputText);
        assertEquals("assistant", record.output.get("role").asText());
        assertEquals(1117L, record.usage.get("input"));
        assertEquals(46L, record.usage.get("output"));
        assertEquals(1163L, record.usage.get("total"));
        assertEquals(1024L, record.usage.get("input_cached_tokens"));
        assertEquals(12L, record.usage.get("output_reasoning_tokens"));
        assertEquals("stop", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", record.metadata.get("response_id"));
        assertEquals("fp_06737a9306", record.metadata.get("system_fingerprint"));
        assertEquals(1163L, record.totalTokens());

        // What Langfuse is sent: disjoint buckets, so that its input sum is the 1117 prompt tokens
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 93L, "input_cached_tokens", 1024L, "output", 34L, "output_reasoning_tokens", 12L,
                "total", 1163L), record.usage);
        assertEquals("1117", record.metadata.get("provider_input_tokens"));
        assertEquals("46", record.metadata.get("provider_output_tokens"));
        assertNull(record.metadata.get("provider_total_tokens"), "the buckets add up to the provider's total");
    }

    @Test
    void streamedChatChunksAreReassembled() {
        StageRecord record = record(StageKind.LLM);
        List<JsonNode> chunks = fixtureLines("chat-stream-chunks.jsonl");
        int first = OpenAiWireMapper.chatChunks(chunks, record);

        assertEquals(1, first, "the role chunk with empty content is not output; the first content delta is");
        assertEquals("Let me check the hours.", record.outputText);
        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals("assistant", record.output.get("role").asText());
        assertEquals("Let me check the hours.", record.output.get("content").asText());

        JsonNode calls = record.output.get("tool_calls");
        assertEquals(1, calls.size());
        JsonNode call = calls.get(0);
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", call.get("id").asText());
        assertEquals("function", call.get("type").asText());
        assertEquals("get_opening_hours", call.at("/function/name").asText());
        assertEquals("{\"date\": \"2025-03-11\"}", call.at("/function/arguments").asText());

        assertEquals("tool_calls", record.metadata.get("finish_reason"));
        assertEquals("chatcmpl-123", record.metadata.get("response_id"));
        assertEquals(82L, record.usage.get("input"));
        assertEquals(31L, record.usage.get("output"));
        assertEquals(113L, record.usage.get("total"));
        assertEquals(0L, record.usage.get("input_cached_tokens"));
    }

    @Test
    void streamWithOnlyToolCallHasNullContentAndToolCallIsFirstOutput() {
        List<JsonNode> chunks = fixtureLines("chat-stream-chunks.jsonl");
        List<JsonNode> toolOnly = new ArrayList<>();
        toolOnly.add(chunks.get(0));
        toolOnly.addAll(chunks.subList(4, chunks.size()));
        StageRecord record = record(StageKind.LLM);

        assertEquals(1, OpenAiWireMapper.chatChunks(toolOnly, record));
        assertTrue(record.output.get("content").isNull());
        assertEquals("", record.outputText);
        assertEquals("{\"date\": \"2025-03-11\"}", record.output.at("/tool_calls/0/function/arguments").asText());
    }

    @Test
    void streamWithoutOutputReportsMinusOne() {
        List<JsonNode> chunks = fixtureLines("chat-stream-chunks.jsonl");
        StageRecord record = record(StageKind.LLM);
        assertEquals(-1, OpenAiWireMapper.chatChunks(List.of(chunks.get(0)), record));
        assertEquals("", record.outputText);
        assertTrue(record.usage.isEmpty());
    }

    // ---- Responses API ----

    @Test
    void responsesRequestAndResponse() {
        StageRecord record = record(StageKind.LLM);
        OpenAiWireMapper.responsesRequest(fixture("responses-request.json"), record);
        assertEquals("gpt-4.1-mini", record.model);
        assertEquals("And one about sea lions?", record.inputText);
        assertEquals(0.7, ((Number) record.modelParameters.get("temperature")).doubleValue());
        assertEquals(200, ((Number) record.modelParameters.get("max_output_tokens")).intValue());
        assertEquals("low", record.modelParameters.get("reasoning_effort"));
        assertEquals(Boolean.TRUE, record.modelParameters.get("stream"));
        assertTrue(record.input.get("instructions").asText().startsWith("You are a helpful voice assistant"));
        assertEquals(3, record.input.get("input").size());

        OpenAiWireMapper.responsesResponse(fixture("responses-response.json"), record);
        assertEquals("gpt-4.1-mini-2025-04-14", record.model);
        assertEquals("Sea lions can sleep underwater. They hold their breath for up to twenty minutes.",
                record.outputText);
        assertEquals(2, record.output.size(), "every output item is kept, reasoning included");
        assertEquals(36L, record.usage.get("input"));
        assertEquals(87L, record.usage.get("output"));
        assertEquals(123L, record.usage.get("total"));
        assertEquals(8L, record.usage.get("input_cached_tokens"));
        assertEquals(64L, record.usage.get("output_reasoning_tokens"));
        assertEquals("completed", record.metadata.get("status"));
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 28L, "input_cached_tokens", 8L, "output", 23L, "output_reasoning_tokens", 64L,
                "total", 123L), record.usage, "reasoning inside output, counted once");
        assertEquals("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", record.metadata.get("response_id"));
    }

    @Test
    void responsesRequestWithPlainStringInput() {
        StageRecord record = record(StageKind.LLM);
        OpenAiWireMapper.responsesRequest(JSON.createObjectNode().put("model", "o4-mini")
                .put("input", "Tell me a three sentence bedtime story about a unicorn."), record);
        assertEquals("Tell me a three sentence bedtime story about a unicorn.", record.inputText);
        assertEquals("Tell me a three sentence bedtime story about a unicorn.", record.input.get("input").asText());
    }

    @Test
    void responsesStreamEventsUseTheCompletedResponse() {
        StageRecord record = record(StageKind.LLM);
        int first = OpenAiWireMapper.responsesEvents(fixtureLines("responses-stream-events.jsonl"), record);
        assertEquals(4, first, "the first response.output_text.delta event");
        assertEquals("Sea lions can sleep underwater.", record.outputText);
        assertEquals("gpt-4.1-mini-2025-04-14", record.model);
        assertEquals("completed", record.metadata.get("status"));
        assertEquals(37L, record.usage.get("input"));
        assertEquals(11L, record.usage.get("output"));
        assertEquals(48L, record.usage.get("total"));
    }

    @Test
    void interruptedResponsesStreamFallsBackToDeltas() {
        List<JsonNode> events = fixtureLines("responses-stream-events.jsonl").subList(0, 6);
        StageRecord record = record(StageKind.LLM);
        int first = OpenAiWireMapper.responsesEvents(events, record);
        assertEquals(4, first);
        assertEquals("Sea lions can sleep", record.outputText);
        assertEquals("in_progress", record.metadata.get("status"));
        assertFalse(record.usage.containsKey("input"));
    }

    // ---- audio ----

    @Test
    void transcriptionRequestIsMetadataOnly() {
        StageRecord record = record(StageKind.STT);
        OpenAiWireMapper.transcriptionRequest(fixture("transcription-request.json"), 109_244L, record);
        assertEquals("whisper-1", record.model);
        assertEquals("verbose_json", record.modelParameters.get("response_format"));
        assertEquals(0, ((Number) record.modelParameters.get("temperature")).intValue());
        JsonNode audio = record.input.get("audio");
        assertEquals("turn-1.WAV", audio.get("filename").asText());
        assertEquals("audio/wav", audio.get("content_type").asText());
        assertEquals("wav", audio.get("format").asText());
        assertEquals(109_244L, audio.get("bytes").asLong());
        assertEquals("en", record.input.get("language").asText());
        assertEquals("Bakery, croissants", record.input.get("prompt").asText());
        assertEquals("en", record.metadata.get("language"));
        assertEquals("109244", record.metadata.get("audio_bytes"));
        assertNull(record.inputText, "an STT call has no text input to link on");
    }

    @Test
    void transcriptionRequestWithUnknownSizeLeavesBytesOut() {
        StageRecord record = record(StageKind.STT);
        OpenAiWireMapper.transcriptionRequest(fixture("transcription-request.json"), -1, record);
        assertFalse(record.input.get("audio").has("bytes"));
        assertFalse(record.metadata.containsKey("audio_bytes"));
    }

    @Test
    void transcriptionResponseBilledByDuration() {
        StageRecord record = record(StageKind.STT);
        OpenAiWireMapper.transcriptionResponse(fixture("transcription-response-duration.json"), record);
        assertEquals("What time do you open tomorrow?", record.outputText);
        assertEquals("What time do you open tomorrow?", record.output.get("text").asText());
        assertEquals(3.42, record.output.get("duration").asDouble());
        assertEquals("english", record.output.get("language").asText());
        assertFalse(record.output.has("segments"), "segments are not copied");
        assertEquals(4.0, record.audioSeconds, 1e-9, "billed seconds from usage win over the detected duration");
        assertTrue(record.usage.isEmpty(), "seconds are not tokens");
        assertEquals("4000", record.metadata.get("billed_audio_ms"));
        assertEquals("english", record.metadata.get("detected_language"));
    }

    @Test
    void transcriptionResponseBilledByTokens() {
        StageRecord record = record(StageKind.STT);
        OpenAiWireMapper.transcriptionResponse(fixture("transcription-response-tokens.json"), record);
        assertTrue(record.outputText.startsWith("Imagine the wildest idea"));
        assertEquals(14L, record.usage.get("input"));
        assertEquals(45L, record.usage.get("output"));
        assertEquals(59L, record.usage.get("total"));
        assertEquals(14L, record.usage.get("input_audio_tokens"));
        assertFalse(record.usage.containsKey("input_text_tokens"), "the text part is what input leaves after audio");
        assertEquals(0.0, record.audioSeconds);
        UsageBuckets.apply(record);
        assertEquals(Map.of("input", 0L, "input_audio_tokens", 14L, "output", 45L, "total", 59L), record.usage,
                "Langfuse counts 14 input tokens, not 28");
    }

    @Test
    void transcriptionAsPlainText() {
        StageRecord record = record(StageKind.STT);
        OpenAiWireMapper.transcriptionResponse(JSON.getNodeFactory().textNode("Hello there."), record);
        assertEquals("Hello there.", record.outputText);
        assertTrue(record.usage.isEmpty());
    }

    @Test
    void streamedTranscriptionEvents() throws IOException {
        List<JsonNode> events = List.of(
                JSON.readTree("{\"type\":\"transcript.text.delta\",\"delta\":\"What time\"}"),
                JSON.readTree("{\"type\":\"transcript.text.delta\",\"delta\":\" do you open?\"}"),
                JSON.readTree("{\"type\":\"transcript.text.done\",\"text\":\"What time do you open?\","
                        + "\"usage\":{\"type\":\"tokens\",\"input_tokens\":14,\"output_tokens\":6,\"total_tokens\":20}}"));
        StageRecord record = record(StageKind.STT);
        assertEquals(0, OpenAiWireMapper.transcriptionEvents(events, record));
        assertEquals("What time do you open?", record.outputText);
        assertEquals(20L, record.usage.get("total"));
        assertEquals(2, record.output.get("partial_results").asInt());
        assertTrue(record.output.get("final").asBoolean());
        assertEquals("2", record.metadata.get("partial_results"));
    }

    @Test
    void aTranscriptionStreamCutShortKeepsItsPartialText() throws IOException {
        List<JsonNode> events = List.of(
                JSON.readTree("{\"type\":\"transcript.text.delta\",\"delta\":\"What time\"}"));
        StageRecord record = record(StageKind.STT);
        assertEquals(0, OpenAiWireMapper.transcriptionEvents(events, record));
        assertEquals("What time", record.outputText);
        assertEquals(false, record.output.get("final").asBoolean());
        assertEquals(1, record.output.get("partial_results").asInt());
    }

    @Test
    void speechRequestCountsCharactersAndNotesVoiceAndFormat() {
        StageRecord record = record(StageKind.TTS);
        OpenAiWireMapper.speechRequest(fixture("speech-request.json"), record);
        String text = "We open at seven tomorrow. Café au lait is on the house!";
        assertEquals("tts-1", record.model);
        assertEquals(text, record.inputText);
        assertEquals(text, record.input.get("text").asText());
        assertEquals("alloy", record.input.get("voice").asText());
        assertEquals("Speak in a cheerful tone.", record.input.get("instructions").asText());
        assertEquals(text.length(), record.characters);
        assertTrue(record.usage.isEmpty(), "characters are not tokens");
        assertEquals("alloy", record.metadata.get("voice"));
        assertEquals("wav", record.metadata.get("format"));
        assertEquals(1.25, ((Number) record.modelParameters.get("speed")).doubleValue());
        assertEquals("wav", record.modelParameters.get("response_format"));
    }

    @Test
    void speechCharactersAreCodePointsAndFormatDefaultsToMp3() throws IOException {
        StageRecord record = record(StageKind.TTS);
        OpenAiWireMapper.speechRequest(JSON.readTree(
                "{\"model\":\"gpt-4o-mini-tts\",\"input\":\"Hi \\ud83d\\udc4b\",\"voice\":{\"id\":\"voice_123\"}}"), record);
        assertEquals(4, record.characters, "an emoji is one character, not two UTF-16 units");
        assertEquals("mp3", record.metadata.get("format"));
        assertEquals("voice_123", record.metadata.get("voice"));
    }

    @Test
    void wavSpeechDurationFromBytes() {
        StageRecord record = record(StageKind.TTS);
        record.metadata.put("format", "wav");
        // 2.5 s of 24 kHz 16-bit mono is 120,000 bytes of samples, plus the 44-byte header.
        OpenAiWireMapper.speechResponse(120_044L, "audio/wav", false, record);
        assertEquals(2.5, record.audioSeconds, 1e-9);
        assertEquals(2.5, record.output.get("duration_seconds").asDouble(), 1e-9);
        assertEquals(120_044L, record.output.get("audio_bytes").asLong());
        assertEquals("audio/wav", record.output.get("content_type").asText());
        assertFalse(record.output.has("interrupted"));
        assertEquals("120044", record.metadata.get("audio_bytes"));
    }

    @Test
    void pcmAndCompressedSpeechDurations() {
        assertEquals(1.0, OpenAiWireMapper.pcmSeconds("pcm", 48_000), 1e-9);
        assertEquals(0.0, OpenAiWireMapper.pcmSeconds("wav", 44), 1e-9, "a bare header is no audio");
        assertEquals(0.0, OpenAiWireMapper.pcmSeconds("mp3", 48_000), 1e-9, "compressed audio has no known rate");

        StageRecord record = record(StageKind.TTS);
        OpenAiWireMapper.speechResponse(30_000L, "audio/mpeg", true, record);
        assertEquals(0.0, record.audioSeconds);
        assertFalse(record.output.has("duration_seconds"));
        assertTrue(record.output.get("interrupted").asBoolean());
    }
}
