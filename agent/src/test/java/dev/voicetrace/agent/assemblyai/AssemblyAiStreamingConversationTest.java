package dev.voicetrace.agent.assemblyai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketScript;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AssemblyAI Universal-Streaming messages (shapes of AssemblyAI's v3 message sequence reference). */
class AssemblyAiStreamingConversationTest {

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    static String turn(int order, String transcript, boolean end, boolean formatted, String... words) {
        StringBuilder list = new StringBuilder();
        long start = 1920 + order * 4000L;
        for (int i = 0; i < words.length; i++) {
            list.append(i == 0 ? "" : ",").append("{'start':").append(start + i * 400).append(",'end':")
                    .append(start + i * 400 + 320).append(",'text':'").append(words[i])
                    .append("','confidence':0.9").append(i % 2).append(",'word_is_final':true}");
        }
        return "{'turn_order':" + order + ",'turn_is_formatted':" + formatted + ",'end_of_turn':" + end
                + ",'transcript':'" + transcript + "','end_of_turn_confidence':" + (end ? 0.91 : 0.02) + ",'words':["
                + list + "],'utterance':'" + (end ? transcript : "") + "','type':'Turn'}";
    }

    @Test
    void eachFormattedEndOfTurnIsOneTranscriptionStartingATurn() {
        SocketScript s = new SocketScript(new AssemblyAiStreamingProtocol(), "streaming.assemblyai.com", "/v3/ws",
                "sample_rate=16000&encoding=pcm_s16le&format_turns=true&speech_model=universal-streaming-english"
                        + "&token=aai-temp-SECRET", null);
        s.receive("{'type':'Begin','id':'de5d9927-73a6-4be8-b52d-b4c07be37e6b','expires_at':1759796682}");
        for (int i = 0; i < 30; i++) {
            s.sendBinary(1600);
        }
        s.receive(turn(0, "", false, false, "hi"))
                .receive(turn(0, "hi my", false, false, "hi", "my"))
                .receive(turn(0, "hi my name is sonny", true, false, "hi", "my", "name", "is", "sonny"));
        assertTrue(TraceContext.current() == null, "the unformatted end is not the turn's end when formatting is on");
        s.receive(turn(0, "Hi, my name is Sonny.", true, true, "Hi,", "my", "name", "is", "Sonny."));
        TraceContext context = TraceContext.current();
        assertNotNull(context);
        s.sendWhole("{'type':'Terminate'}")
                .receive("{'type':'Termination','audio_duration_seconds':3,'session_duration_seconds':4}");
        s.socket.onClosed(1000);
        List<StageRecord> records = s.process();
        assertEquals(1, records.size());
        StageRecord stt = records.get(0);
        assertEquals(StageKind.STT, stt.kind);
        assertEquals("assemblyai", stt.provider);
        assertEquals("streaming", stt.operation);
        assertEquals("universal-streaming-english", stt.model);
        assertEquals("Hi, my name is Sonny.", stt.outputText);
        assertEquals(5, stt.output.path("words").asInt());
        assertEquals(2, stt.output.path("partial_results").asInt());
        assertEquals(0.904, stt.output.path("confidence").asDouble(), 1e-9);
        assertEquals("3840", stt.metadata.get("audio_ms"), "from the stream start to the last word's end");
        assertEquals(48_000, stt.input.path("audio").path("bytes").asLong());
        assertEquals("de5d9927-73a6-4be8-b52d-b4c07be37e6b", stt.metadata.get("session_id"));
        assertEquals(context.turnAnchor, stt.contextTurnAnchor);
        assertEquals(context.sessionId, stt.contextSessionId);
        assertEquals(Boolean.TRUE, stt.modelParameters.get("format_turns"));
        assertTrue(stt.firstOutputEpochNanos > 0);
        long billedMs = Long.parseLong(stt.metadata.get("billed_audio_ms"));
        PriceTable.load(null).settle(stt);
        assertEquals(0.15 * billedMs / 1000.0 / 3600, stt.cost.get("total"), 1e-12, "connection time since the socket opened");
        assertFalse(stt.modelParameters.toString().contains("SECRET") || stt.metadata.toString().contains("SECRET"));
    }

    @Test
    void withoutFormattingTheUnformattedEndIsTheTurnsEnd() {
        SocketScript s = new SocketScript(new AssemblyAiStreamingProtocol(), "streaming.assemblyai.com", "/v3/ws",
                "sample_rate=16000", "call-3");
        s.receive(turn(0, "good morning", true, false, "good", "morning"));
        assertNotNull(TraceContext.current());
        s.receive(turn(1, "i need", false, false, "i", "need"));
        s.socket.onFailed(new java.io.IOException("reset"));
        List<StageRecord> records = s.process();
        assertEquals(2, records.size());
        assertEquals("good morning", records.get(0).outputText);
        assertEquals("i need", records.get(1).outputText);
        assertEquals("true", records.get(1).metadata.get("interrupted"));
        assertEquals("java.io.IOException: reset", records.get(1).error);
        assertEquals("call-3", records.get(1).contextSessionId);
    }
}
