package dev.voicetrace.agent.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketScript;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deepgram's streaming text-to-speech socket (shapes of Deepgram's speak v1 streaming reference). */
class DeepgramSpeakConversationTest {

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    @Test
    void eachFlushIsOneSpeechCallAndClearInterruptsOne() {
        SocketScript s = new SocketScript(new DeepgramSpeakProtocol(), "api.deepgram.com", "/v1/speak",
                "model=aura-2-thalia-en&encoding=linear16&sample_rate=24000", null);
        s.receive("{'type':'Metadata','request_id':'5e8d2c1a-9b7f-4e6d-8c5b-3a2f1e0d9c8b','model_name':'aura-2-thalia-en',"
                + "'model_version':'2025-04-07.0','model_uuid':'ecb76e9d-f2ad-4b70-bd5b-5a0a2b1c3d4e'}");
        TraceContext.set(new TraceContext("call-8", 41));
        s.sendWhole("{'type':'Speak','text':'Try a pastel de nata, '}")
                .sendWhole("{'type':'Speak','text':'still warm.'}")
                .sendWhole("{'type':'Flush'}");
        s.socket.onReceived(new byte[9600]);
        s.socket.onReceived(new byte[14400]);
        s.receive("{'type':'Flushed','sequence_id':0}");
        TraceContext.set(new TraceContext("call-8", 42));
        s.sendWhole("{'type':'Speak','text':'Anything else I can help with?'}").sendWhole("{'type':'Flush'}");
        s.socket.onReceived(new byte[4800]);
        s.sendWhole("{'type':'Clear'}").receive("{'type':'Cleared','sequence_id':1}");
        s.socket.onClosed(1000);
        List<StageRecord> records = s.process();
        assertEquals(2, records.size());
        StageRecord first = records.get(0);
        assertEquals(StageKind.TTS, first.kind);
        assertEquals("deepgram", first.provider);
        assertEquals("speak.live", first.operation);
        assertEquals("aura-2-thalia-en", first.model);
        assertEquals("thalia", first.metadata.get("voice"));
        assertEquals("Try a pastel de nata, still warm.", first.inputText);
        assertEquals(24_000, first.output.path("audio_bytes").asLong());
        assertEquals(500, first.output.path("duration_ms").asLong());
        assertEquals(41, first.contextTurnAnchor);
        assertEquals("call-8", first.contextSessionId);
        assertEquals("5e8d2c1a-9b7f-4e6d-8c5b-3a2f1e0d9c8b", first.metadata.get("request_id"));
        assertTrue(first.firstOutputEpochNanos >= first.startEpochNanos);
        PriceTable.load(null).settle(first);
        assertEquals(33 * 30.00 / 1e6, first.cost.get("total"), 1e-12);

        StageRecord cut = records.get(1);
        assertEquals("true", cut.metadata.get("interrupted"));
        assertEquals(4800, cut.output.path("audio_bytes").asLong());
        assertEquals(42, cut.contextTurnAnchor);
    }
}
