package dev.voicetrace.agent.elevenlabs;

import static dev.voicetrace.agent.realtime.SocketScript.base64Audio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketEndpoints;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.SocketScript;
import dev.voicetrace.bootstrap.TraceContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ElevenLabs multi-stream-input messages (shapes of ElevenLabs' multi-context WebSocket reference). */
class ElevenLabsMultiStreamConversationTest {

    private static final String PATH = "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/multi-stream-input";
    private final SocketProtocol protocol = new ElevenLabsMultiStreamInputProtocol();

    @AfterEach
    void clearContext() {
        TraceContext.set(null);
    }

    private static String audio(String context, int bytes) {
        return "{'audio':'" + base64Audio(bytes) + "','normalizedAlignment':{'charStartTimesMs':[0,3],"
                + "'charDurationsMs':[3,4],'chars':['I','t']},'alignment':null,'contextId':'" + context + "'}";
    }

    @Test
    void onlyTheMultiStreamPathIsThisProtocols() {
        SocketEndpoints endpoints = new SocketEndpoints().add("api.elevenlabs.io", new ElevenLabsStreamInputProtocol())
                .add("api.elevenlabs.io", protocol);
        assertTrue(endpoints.match("api.elevenlabs.io", -1, PATH) instanceof ElevenLabsMultiStreamInputProtocol);
        assertTrue(endpoints.match("api.elevenlabs.io", -1, "/v1/text-to-speech/v/stream-input")
                instanceof ElevenLabsStreamInputProtocol);
        assertNull(endpoints.match("api.elevenlabs.io", -1, "/v1/text-to-speech/a/b/multi-stream-input"));
    }

    @Test
    void eachContextIsOneSpeechCallEndedByItsIsFinal() throws Exception {
        SocketScript s = new SocketScript(protocol, "api.elevenlabs.io", PATH,
                "model_id=eleven_flash_v2_5&output_format=pcm_16000&inactivity_timeout=60", null);
        s.send("{'text':' ','voice_settings':{'stability':0.5,'similarity_boost':0.8},'context_id':'reply-1',"
                + "'xi_api_key':'xi-SECRET-KEY'}");
        TraceContext.set(new TraceContext("call-4", 41));
        s.send("{'text':'The tram leaves ','context_id':'reply-1'}")
                .send("{'text':'at nine. ','context_id':'reply-1','flush':true}")
                .send("{'context_id':'reply-1','close_context':true}")
                .receive(audio("reply-1", 16000)).receive(audio("reply-1", 6000))
                .receive("{'isFinal':true,'contextId':'reply-1'}");
        TraceContext.set(new TraceContext("call-4", 42));
        s.send("{'text':'Tickets cost three euros, ','context_id':'reply-2'}")
                .send("{'context_id':'reply-2','flush':true}")
                .receive(audio("reply-2", 3200))
                .send("{'context_id':'reply-2','close_context':true}")
                .receive("{'isFinal':true,'contextId':'reply-2'}");
        TraceContext.set(new TraceContext("call-4", 43));
        s.send("{'text':'Sure. ','context_id':'reply-3','flush':true}").receive(audio("reply-3", 1600))
                .send("{'text':'Never flushed ','context_id':'reply-4'}")
                .send("{'close_socket':true}");
        s.socket.onClosed(1000);
        List<StageRecord> records = s.process();
        assertEquals(4, records.size());

        StageRecord first = records.get(0);
        assertEquals(StageKind.TTS, first.kind);
        assertEquals("elevenlabs", first.provider);
        assertEquals("text_to_speech.multi_stream_input", first.operation);
        assertEquals("eleven_flash_v2_5", first.model);
        assertEquals("The tram leaves at nine. ", first.inputText);
        assertEquals("reply-1", first.metadata.get("context_id"));
        assertEquals(22_000, first.output.path("audio_bytes").asLong());
        assertEquals(687, first.output.path("duration_ms").asLong(), "PCM16 at 16 kHz");
        assertEquals(41, first.contextTurnAnchor);
        assertEquals("call-4", first.contextSessionId);
        assertEquals(60L, first.modelParameters.get("inactivity_timeout"));
        assertTrue(first.firstOutputEpochNanos >= first.startEpochNanos);
        assertNull(first.metadata.get("interrupted"));
        assertEquals(0.5, first.input.path("voice_settings").path("stability").asDouble());

        StageRecord second = records.get(1);
        assertEquals("Tickets cost three euros, ", second.inputText);
        assertEquals(3200, second.output.path("audio_bytes").asLong());
        assertEquals(42, second.contextTurnAnchor);

        // flushed, not closed: spoken, recorded when the socket ends
        StageRecord third = records.get(2);
        assertEquals("Sure. ", third.inputText);
        assertEquals(1600, third.output.path("audio_bytes").asLong());
        assertEquals(43, third.contextTurnAnchor);
        assertNull(third.metadata.get("interrupted"));

        StageRecord unfinished = records.get(3);
        assertEquals("Never flushed ", unfinished.inputText);
        assertEquals("true", unfinished.metadata.get("interrupted"));
        assertNull(unfinished.error, "cut short, not failed");
        assertEquals(0, unfinished.output.path("audio_bytes").asLong());
        for (StageRecord record : records) {
            assertFalse(Json.write(record.input).contains("SECRET") || record.metadata.toString().contains("SECRET"));
        }
    }

    @Test
    void aFailedSocketEndsItsOpenContextsWithTheError() throws Exception {
        SocketScript s = new SocketScript(protocol, "api.elevenlabs.io", PATH, "output_format=pcm_16000", null);
        s.send("{'text':'Hello there. ','context_id':'a','flush':true}").receive(audio("a", 3200));
        s.socket.onFailed(new java.io.IOException("connection reset"));
        List<StageRecord> records = s.process();
        assertEquals(1, records.size());
        assertEquals("true", records.get(0).metadata.get("interrupted"));
        assertTrue(records.get(0).error.contains("connection reset"));
    }
}
