package dev.voicetrace.agent.projection;

import static dev.voicetrace.agent.link.Records.T0;
import static dev.voicetrace.agent.link.Records.ms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.openai.OpenAiWireMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One realistic voice turn built from the OpenAI wire fixtures and linked by the real Linker with
 * deterministic ids and fixed times: a transcription, a streamed model call that asks for a tool,
 * the follow-up model call with the tool result, and the speech of the reply's first sentence.
 */
final class VoiceTurnFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION = "call-42";
    static final String TRANSCRIPT = "What time do you open tomorrow?";
    static final String REPLY = "We open at seven tomorrow. Fresh croissants are ready by eight!";

    final SequentialIds ids = new SequentialIds();
    final Linker linker = new Linker(ids, "default-session", TimeUnit.SECONDS.toNanos(30));
    final PriceTable prices = PriceTable.load(null);

    final LinkedObservation stt;
    final LinkedObservation toolCall;
    final LinkedObservation answer;
    final LinkedObservation speech;
    final Turn turn;

    VoiceTurnFixture() {
        StageRecord sttRecord = record(StageKind.STT, "audio.transcriptions.create", 0, 400);
        sttRecord.contextSessionId = SESSION;
        OpenAiWireMapper.transcriptionRequest(fixture("transcription-request.json"), 109_244, sttRecord);
        OpenAiWireMapper.transcriptionResponse(fixture("transcription-response-duration.json"), sttRecord);
        stt = link(sttRecord);

        StageRecord toolRecord = record(StageKind.LLM, "chat.completions.create", 450, 900);
        toolRecord.streaming = true;
        JsonNode request = fixture("chat-request.json");
        OpenAiWireMapper.chatRequest(request, toolRecord);
        OpenAiWireMapper.chatChunks(lines("chat-stream-chunks.jsonl"), toolRecord);
        toolRecord.firstOutputEpochNanos = T0 + ms(700);
        toolCall = link(toolRecord);

        StageRecord answerRecord = record(StageKind.LLM, "chat.completions.create", 1000, 1500);
        ObjectNode followUp = request.deepCopy();
        ArrayNode messages = (ArrayNode) followUp.get("messages");
        messages.add(toolRecord.output);
        messages.addObject().put("role", "tool").put("tool_call_id", "call_DdmO9pD3xa9XTPNJ32zg2hcA")
                .put("content", "{\"opens\": \"07:00\", \"closes\": \"18:00\"}");
        OpenAiWireMapper.chatRequest(followUp, answerRecord);
        OpenAiWireMapper.chatResponse(fixture("chat-response.json"), answerRecord);
        answer = link(answerRecord);

        StageRecord speechRecord = record(StageKind.TTS, "audio.speech.create", 1550, 2500);
        ObjectNode speechRequest = JSON.createObjectNode().put("model", "tts-1")
                .put("input", "We open at seven tomorrow.").put("voice", "alloy").put("response_format", "wav");
        OpenAiWireMapper.speechRequest(speechRequest, speechRecord);
        OpenAiWireMapper.speechResponse(120_044, "audio/wav", false, speechRecord);
        speechRecord.firstOutputEpochNanos = T0 + ms(1700);
        speech = link(speechRecord);

        turn = stt.turn;
        List<Turn> closed = linker.closeAll();
        if (closed.size() != 1 || closed.get(0) != turn || turn.observations().size() != 4) {
            throw new IllegalStateException("fixture turn did not link: " + closed);
        }
    }

    List<LinkedObservation> observations() {
        return List.of(stt, toolCall, answer, speech);
    }

    /** A failed model call in a turn of its own. */
    LinkedObservation failedCall() {
        StageRecord failed = record(StageKind.LLM, "chat.completions.create", 3000, 3100);
        OpenAiWireMapper.chatRequest(fixture("chat-request.json"), failed);
        failed.inputText = "something nobody said";
        failed.error = "com.openai.errors.RateLimitException: 429: Rate limit reached for gpt-4o-mini";
        return link(failed);
    }

    private LinkedObservation link(StageRecord record) {
        prices.settle(record);
        return linker.link(record).observation;
    }

    private static StageRecord record(StageKind kind, String operation, long startMs, long endMs) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = "openai";
        record.operation = operation;
        record.startEpochNanos = T0 + ms(startMs);
        record.endEpochNanos = T0 + ms(endMs);
        return record;
    }

    static JsonNode fixture(String name) {
        try (InputStream in = VoiceTurnFixture.class.getResourceAsStream("/openai/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> lines(String name) {
        try (InputStream in = VoiceTurnFixture.class.getResourceAsStream("/openai/" + name)) {
            List<JsonNode> result = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    result.add(JSON.readTree(line));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(JsonNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
