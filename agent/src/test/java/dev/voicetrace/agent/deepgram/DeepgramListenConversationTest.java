package dev.voicetrace.agent.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.SocketScript;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deepgram live transcription messages (shapes of Deepgram's listen v1 streaming reference), as OkHttp delivers them. */
class DeepgramListenConversationTest {

    private final SocketProtocol protocol = new DeepgramListenProtocol();

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    static String results(String transcript, double start, double duration, boolean isFinal, boolean speechFinal,
                          double confidence) {
        return "{'type':'Results','channel_index':[0,1],'duration':" + duration + ",'start':" + start
                + ",'is_final':" + isFinal + ",'speech_final':" + speechFinal + ",'channel':{'alternatives':[{'transcript':'"
                + transcript + "','confidence':" + confidence + ",'words':[]}]},'metadata':{'request_id':"
                + "'7d1c2e9a-41f3-4c55-9d07-1b2c3d4e5f60','model_info':{'name':'2-general-nova','version':'2024-01-18.26916',"
                + "'arch':'nova-3'},'model_uuid':'c0d1e2f3-a4b5-c6d7-e8f9-0a1b2c3d4e5f'},'from_finalize':false}";
    }

    @Test
    void eachUtteranceIsOneTranscriptionThatStartsATurnOnTheListenersThread() {
        SocketScript s = new SocketScript(protocol, "api.deepgram.com", "/v1/listen",
                "model=nova-3&encoding=linear16&sample_rate=16000&interim_results=true&endpointing=300"
                        + "&utterance_end_ms=1000&token=dg-SECRET", null);
        for (int i = 0; i < 24; i++) {
            s.sendBinary(3200);
        }
        s.sendWhole("{'type':'KeepAlive'}");
        s.receiveWhole("{'type':'SpeechStarted','channel':[0],'timestamp':0.1}")
                .receiveWhole(results("what is", 0.0, 1.0, false, false, 0.81))
                .receiveWhole(results("what is the weather", 0.0, 1.5, false, false, 0.9))
                .receiveWhole(results("What is the weather", 0.0, 1.5, true, false, 0.98))
                .receiveWhole(results("in Lisbon?", 1.5, 0.9, true, true, 0.96));
        TraceContext afterFirst = TraceContext.current();
        assertNotNull(afterFirst, "the listener's thread is in the new turn before the application sees the words");
        for (int i = 0; i < 16; i++) {
            s.sendBinary(3200);
        }
        s.receiveWhole(results("", 2.4, 0.5, true, true, 0.0))
                .receiveWhole(results("thanks", 2.9, 0.6, false, false, 0.7))
                .receiveWhole(results("Thanks a lot.", 2.9, 1.1, true, false, 0.99))
                .receiveWhole("{'type':'UtteranceEnd','channel':[0,1],'last_word_end':3.9}");
        TraceContext afterSecond = TraceContext.current();
        s.receiveWhole("{'type':'Metadata','transaction_key':'deprecated','request_id':'7d1c2e9a-41f3-4c55-9d07-1b2c3d4e5f60',"
                + "'sha256':'e3b0c442','created':'2026-11-30T10:00:00.000Z','duration':4.0,'channels':1}");
        s.socket.onClosed(1000);
        assertEquals(8, s.queued.size(), "interim results are never queued");
        List<StageRecord> records = s.process();
        assertEquals(2, records.size());

        StageRecord first = records.get(0);
        assertEquals(StageKind.STT, first.kind);
        assertEquals("deepgram", first.provider);
        assertEquals("listen.live", first.operation);
        assertEquals("nova-3", first.model);
        assertEquals("What is the weather in Lisbon?", first.outputText);
        assertEquals(0.97, first.output.path("confidence").asDouble(), 1e-9);
        assertEquals(2, first.output.path("interim_results").asInt());
        assertEquals(2, first.output.path("final_results").asInt());
        assertEquals("2400", first.metadata.get("audio_ms"));
        assertEquals(76_800, first.input.path("audio").path("bytes").asLong());
        assertEquals("7d1c2e9a-41f3-4c55-9d07-1b2c3d4e5f60", first.metadata.get("request_id"));
        assertEquals(16000L, first.modelParameters.get("sample_rate"));
        assertEquals(300L, first.modelParameters.get("endpointing"));
        assertTrue(first.firstOutputEpochNanos > 0 && first.firstOutputEpochNanos <= first.endEpochNanos);
        assertEquals(afterFirst.turnAnchor, first.contextTurnAnchor);
        assertEquals(afterFirst.sessionId, first.contextSessionId);
        assertTrue(first.contextSessionId.startsWith("conversation-"));

        StageRecord second = records.get(1);
        assertEquals("Thanks a lot.", second.outputText);
        assertEquals("UtteranceEnd", second.metadata.get("ended_by"));
        assertEquals("1600", second.metadata.get("audio_ms"), "from the first utterance's end to 4.0 s");
        assertEquals(afterSecond.turnAnchor, second.contextTurnAnchor);
        assertTrue(second.contextTurnAnchor != first.contextTurnAnchor);
        assertEquals(first.contextSessionId, second.contextSessionId, "one socket, one conversation");

        PriceTable.load(null).settle(first);
        assertEquals(0.0043 * 2.4 / 60, first.cost.get("total"), 1e-12);
        for (StageRecord record : records) {
            assertTrue(!record.modelParameters.toString().contains("SECRET") && !record.metadata.toString().contains("SECRET"));
        }
    }

    @Test
    void aStreamThatFailsMidUtteranceEndsItWithTheError() {
        SocketScript s = new SocketScript(protocol, "api.deepgram.com", "/v1/listen", "model=nova-2", "call-5");
        s.sendBinary(3200).receiveWhole(results("Hello, I would", 0.0, 1.0, true, false, 0.9))
                .receiveWhole("not json").receiveWhole("{'type':'Warning','description':'something new'}");
        s.socket.onFailed(new java.net.SocketTimeoutException("timeout"));
        List<StageRecord> records = s.process();
        assertEquals(1, records.size());
        assertEquals("Hello, I would", records.get(0).outputText);
        assertEquals("true", records.get(0).metadata.get("interrupted"));
        assertEquals("java.net.SocketTimeoutException: timeout", records.get(0).error);
        assertEquals("call-5", records.get(0).contextSessionId);
        assertEquals(1, s.malformedFrames());
    }

    @Test
    void framesAreClassified() {
        assertEquals(SocketProtocol.Frame.TURN_EVENT,
                protocol.classify(SocketScript.json(results("x", 0, 1, true, true, 1)), false));
        assertEquals(SocketProtocol.Frame.EVENT,
                protocol.classify(SocketScript.json(results("x", 0, 1, true, false, 1)), false));
        assertEquals(SocketProtocol.Frame.OUTPUT_MARK,
                protocol.classify(SocketScript.json(results("x", 0, 1, false, false, 1)), false),
                "interim results are counted, not kept");
        assertEquals(SocketProtocol.Frame.UTTERANCE_END,
                protocol.classify(SocketScript.json("{'type':'UtteranceEnd','channel':[0,1],'last_word_end':3.9}"), false),
                "an utterance's end of its own, or the confirmation of the one a final result ended");
        assertEquals(SocketProtocol.Frame.SKIP, protocol.classify(SocketScript.json("{'type':'KeepAlive'}"), true));
        assertTrue(protocol.matchesPath("/v1/listen"));
        assertTrue(!protocol.matchesPath("/v1/speak"));
    }

    @Test
    void anUtterancesTurnIdsAreFixedWhenItEndsAndItsTranscriptionKeepsThem() {
        SocketScript s = new SocketScript(protocol, "api.deepgram.com", "/v1/listen",
                "model=nova-3&encoding=linear16&sample_rate=16000&utterance_end_ms=1000", "support-call-9");
        // trace context across services is on: each turn's ids are fixed when it starts
        s.runtime.identifyTurns(client -> dev.voicetrace.bootstrap.TurnIdentity.local(null, null));
        s.sendBinary(3200);
        s.receiveWhole(results("Book a table for two.", 0.0, 1.5, true, true, 0.97));
        TraceContext first = TraceContext.current();
        assertNotNull(first.turn, "the application's requests in this turn can carry its ids");
        s.receiveWhole("{'type':'UtteranceEnd','channel':[0,1],'last_word_end':1.5}");
        TraceContext utteranceEnd = TraceContext.current();
        assertEquals(first.turnAnchor, utteranceEnd.turnAnchor, "the utterance-end right after ends the same turn");
        org.junit.jupiter.api.Assertions.assertSame(first.turn, utteranceEnd.turn);
        s.sendBinary(3200);
        s.receiveWhole(results("At eight.", 1.5, 1.0, true, true, 0.95));
        TraceContext second = TraceContext.current();
        assertTrue(second.turnAnchor != first.turnAnchor);
        assertTrue(!second.turn.traceId.equals(first.turn.traceId), "a new utterance, a new turn");
        s.socket.onClosed(1000);

        List<StageRecord> records = s.process();
        assertEquals(2, records.size());
        org.junit.jupiter.api.Assertions.assertSame(first.turn, records.get(0).contextTurn);
        org.junit.jupiter.api.Assertions.assertSame(second.turn, records.get(1).contextTurn);
        assertEquals("support-call-9", records.get(1).contextSessionId);
    }
}
