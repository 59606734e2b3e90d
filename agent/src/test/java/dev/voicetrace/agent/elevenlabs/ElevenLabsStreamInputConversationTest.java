package dev.voicetrace.agent.elevenlabs;

import static dev.voicetrace.agent.realtime.SocketScript.base64Audio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.SocketScript;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ElevenLabs stream-input messages (shapes of ElevenLabs' WebSocket text-to-speech reference). */
class ElevenLabsStreamInputConversationTest {

    private final SocketProtocol protocol = new ElevenLabsStreamInputProtocol();

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    private static String audio(int bytes) {
        return "{'audio':'" + base64Audio(bytes) + "','isFinal':null,'normalizedAlignment':{'charStartTimesMs':[0,3],"
                + "'charsDurationsMs':[3,4],'chars':['I','t']},'alignment':{'charStartTimesMs':[0,3],'charsDurationsMs':[3,4],"
                + "'chars':['I','t']}}";
    }

    @Test
    void eachFlushedOrClosedTextIsOneSpeechCallInTheSendersTurn() throws Exception {
        SocketScript s = new SocketScript(protocol, "api.elevenlabs.io", "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream-input",
                "model_id=eleven_flash_v2_5&output_format=pcm_16000", null);
        s.send("{'text':' ','voice_settings':{'stability':0.5,'similarity_boost':0.8,'speed':1.0},"
                + "'generation_config':{'chunk_length_schedule':[120,160,250,290]},'xi_api_key':'xi-SECRET-KEY'}");
        TraceContext.set(new TraceContext("call-9", 77));
        s.send("{'text':'It is 21 degrees ','try_trigger_generation':true}")
                .send("{'text':'and sunny in Lisbon. ','flush':true}")
                .receive(audio(16000)).receiveInParts(audio(8000), 40, 3000).receive(audio(6000));
        TraceContext.set(new TraceContext("call-9", 78));
        s.send("{'text':'Anything else? '}").receive(audio(3200)).send("{'text':''}")
                .receive(audio(12800)).receive("{'audio':null,'isFinal':true,'normalizedAlignment':null,'alignment':null}");
        s.socket.onClosed(1000);
        List<StageRecord> records = s.process();
        assertEquals(2, records.size());

        StageRecord first = records.get(0);
        assertEquals(StageKind.TTS, first.kind);
        assertEquals("elevenlabs", first.provider);
        assertEquals("text_to_speech.stream_input", first.operation);
        assertEquals("eleven_flash_v2_5", first.model);
        assertEquals("It is 21 degrees and sunny in Lisbon. ", first.inputText);
        assertEquals(38, first.characters);
        assertEquals("21m00Tcm4TlvDq8ikWAM", first.metadata.get("voice"));
        assertEquals(30_000, first.output.path("audio_bytes").asLong());
        assertEquals(937, first.output.path("duration_ms").asLong(), "PCM16 at 16 kHz");
        assertEquals("call-9", first.contextSessionId, "the sending thread's session wins");
        assertEquals(77, first.contextTurnAnchor);
        assertTrue(first.firstOutputEpochNanos >= first.startEpochNanos && first.firstOutputEpochNanos <= first.endEpochNanos);
        assertEquals(0.5, first.input.path("voice_settings").path("stability").asDouble());

        StageRecord second = records.get(1);
        assertEquals("Anything else? ", second.inputText);
        assertEquals(16_000, second.output.path("audio_bytes").asLong());
        assertEquals(78, second.contextTurnAnchor);
        assertTrue(second.firstOutputEpochNanos > 0);

        PriceTable.load(null).settle(first);
        assertEquals(38 * 50.00 / 1e6, first.cost.get("total"), 1e-12);
        for (StageRecord record : records) {
            assertFalse(Json.write(record.input).contains("SECRET") || record.metadata.toString().contains("SECRET"));
        }
    }

    @Test
    void aSocketClosedBeforeItsTextEndedIsInterrupted() {
        SocketScript s = new SocketScript(protocol, "api.elevenlabs.io", "/v1/text-to-speech/voice1/stream-input", "", null);
        s.send("{'text':' '}").send("{'text':'Hello there, '}").receive(audio(4000));
        s.socket.onFailed(new java.io.EOFException("closed"));
        List<StageRecord> records = s.process();
        assertEquals(1, records.size());
        assertEquals("true", records.get(0).metadata.get("interrupted"));
        assertEquals("java.io.EOFException: closed", records.get(0).error);
        assertEquals(4000, records.get(0).output.path("audio_bytes").asLong());
        assertEquals(250, records.get(0).output.path("duration_ms").asLong(), "mp3_44100_128 by its bit rate");
        assertEquals("eleven_multilingual_v2", records.get(0).model);
    }

    @Test
    void pathsAndFrames() {
        assertTrue(protocol.matchesPath("/v1/text-to-speech/abc/stream-input"));
        assertFalse(protocol.matchesPath("/v1/text-to-speech/abc/stream"));
        assertFalse(protocol.matchesPath("/v1/text-to-speech//stream-input"));
        assertEquals(SocketProtocol.Frame.AUDIO, protocol.classify(SocketScript.json(audio(3)), false));
        assertEquals(SocketProtocol.Frame.EVENT, protocol.classify(SocketScript.json("{'audio':null,'isFinal':true}"), false));
    }
}
