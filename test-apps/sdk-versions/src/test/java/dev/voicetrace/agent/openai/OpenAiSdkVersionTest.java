package dev.voicetrace.agent.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.MultipartField;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.core.JsonValue;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.voicetrace.agent.matrix.Fixtures;
import dev.voicetrace.agent.matrix.SdkCall;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** openai-java's own request builders and response classes, read by the agent's extractor. */
class OpenAiSdkVersionTest {

    private final OpenAiExtractor extractor = new OpenAiExtractor();

    private static <T> T parse(String json, Class<T> type) throws Exception {
        return ObjectMappers.jsonMapper().readValue(json, type);
    }

    private static ChatCompletionCreateParams chatRequest() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage("You are a helpful voice assistant for a bakery. Keep answers short.")
                .addUserMessage("Hi, are you open today?")
                .addMessage(ChatCompletionAssistantMessageParam.builder().content("Yes, we are open until six.").build())
                .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofText(
                        ChatCompletionContentPartText.builder().text("What time do you open tomorrow?").build())))
                .addFunctionTool(FunctionDefinition.builder()
                        .name("get_opening_hours")
                        .description("Opening hours of the bakery for a date")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("date", Map.of("type", "string"))))
                                .build())
                        .build())
                .temperature(0.2)
                .maxCompletionTokens(256L)
                .seed(42L)
                .build();
    }

    @Test
    void chatCompletion() throws Exception {
        StageRecord record = SdkCall.of("openai", OpenAiOperations.CHAT, StageKind.LLM, false, extractor, chatRequest())
                .response(parse(Fixtures.text("/openai/chat-response.json"), ChatCompletion.class))
                .extract();

        assertEquals("gpt-4o-mini-2024-07-18", record.model);
        assertEquals(0.2, ((Number) record.modelParameters.get("temperature")).doubleValue());
        assertEquals(256, ((Number) record.modelParameters.get("max_completion_tokens")).intValue());
        assertEquals(42, ((Number) record.modelParameters.get("seed")).intValue());
        assertEquals(4, record.input.get("messages").size());
        assertEquals("What time do you open tomorrow?", record.inputText);
        assertEquals("get_opening_hours", record.input.at("/tools/0/function/name").asText());
        assertEquals("We open at seven tomorrow. Fresh croissants are ready by eight!", record.outputText);
        assertEquals(1163L, record.totalTokens());
        assertEquals(1024L, record.usage.get("input_cached_tokens"));
        assertEquals(12L, record.usage.get("output_reasoning_tokens"));
        assertEquals("stop", record.metadata.get("finish_reason"));
    }

    @Test
    void streamedChatChunks() throws Exception {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (String line : Fixtures.lines("/openai/chat-stream-chunks.jsonl")) {
            chunks.add(parse(line, ChatCompletionChunk.class));
        }
        StageRecord record = SdkCall.of("openai", OpenAiOperations.CHAT, StageKind.LLM, true, extractor, chatRequest())
                .stream(chunks)
                .extract();

        assertEquals("Let me check the hours.", record.outputText);
        assertEquals(SdkCall.STREAM_START_NANOS + SdkCall.STREAM_ITEM_GAP_NANOS, record.firstOutputEpochNanos,
                "the first content delta, not the role chunk");
        assertEquals("get_opening_hours", record.output.at("/tool_calls/0/function/name").asText());
        assertEquals("{\"date\": \"2025-03-11\"}", record.output.at("/tool_calls/0/function/arguments").asText());
        assertEquals("tool_calls", record.metadata.get("finish_reason"));
        assertEquals(113L, record.usage.get("total"));
    }

    @Test
    void transcription() throws Exception {
        TranscriptionCreateParams request = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder()
                        .value(new ByteArrayInputStream(new byte[] {1, 2, 3}))
                        .filename("turn-1.WAV")
                        .contentType("audio/wav")
                        .build())
                .model("whisper-1")
                .language("en")
                .prompt("Bakery, croissants")
                .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                .temperature(0.0)
                .build();
        StageRecord record = SdkCall.of("openai", OpenAiOperations.TRANSCRIPTION, StageKind.STT, false, extractor, request)
                .requestContent(109_244)
                .response(parse(Fixtures.text("/openai/transcription-response-tokens.json"), Transcription.class))
                .extract();

        assertEquals("whisper-1", record.model);
        assertEquals("verbose_json", record.modelParameters.get("response_format"));
        assertEquals("turn-1.WAV", record.input.at("/audio/filename").asText());
        assertEquals("audio/wav", record.input.at("/audio/content_type").asText());
        assertEquals(109_244L, record.input.at("/audio/bytes").asLong());
        assertEquals("en", record.input.get("language").asText());
        assertEquals("Bakery, croissants", record.input.get("prompt").asText());
        assertTrue(record.outputText.startsWith("Imagine the wildest idea"));
        assertEquals(14L, record.usage.get("input"));
        assertEquals(45L, record.usage.get("output"));
    }

    @Test
    void speech() throws Exception {
        SpeechCreateParams request = SpeechCreateParams.builder()
                .model("tts-1")
                .input("We open at seven tomorrow. Café au lait is on the house!")
                .voice("alloy")
                .responseFormat(SpeechCreateParams.ResponseFormat.WAV)
                .speed(1.25)
                .instructions("Speak in a cheerful tone.")
                .build();
        StageRecord record = SdkCall.of("openai", OpenAiOperations.SPEECH, StageKind.TTS, false, extractor, request)
                .body(48_044, "audio/wav")
                .extract();

        assertEquals("tts-1", record.model);
        assertEquals("We open at seven tomorrow. Café au lait is on the house!", record.inputText);
        assertEquals(56, record.characters);
        assertEquals("alloy", record.input.get("voice").asText());
        assertEquals(1.25, ((Number) record.modelParameters.get("speed")).doubleValue());
    }
}
