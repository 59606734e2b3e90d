package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static dev.voicetrace.it.Spans.names;
import static dev.voicetrace.it.Spans.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real-time sockets that go wrong, in a separate JVM with the agent attached (test app
 * {@code realtime-voice-app}, scenario {@code faults}, the JDK's WebSocket): Deepgram results with
 * three frames that are not JSON objects in between, an ElevenLabs listener that throws on the
 * first audio chunk, an ElevenLabs socket the service closes with 1011 while the speech streams
 * (a connection that breaks without a close frame, 1006, is unit-tested). The
 * application sees exactly what it sees without the agent; the transcription is recorded whole;
 * each speech observation ends {@code interrupted} at level ERROR with what went wrong. (A vendor's
 * {@code error} event is covered by {@link RealtimeSocketsIT}: OpenAI Realtime's refused
 * configuration.)
 */
class RealtimeSocketFaultsIT {

    @Test
    void faultsLeaveTheApplicationAloneAndEndTheObservationsTheyCut() throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            String[] arguments = {"--scenario", "faults"};
            JvmRun.Result plain = JvmRun.on(Paths.get(System.getProperty("java.home")))
                    .jar(RealtimeSocketsIT.REALTIME_APP_JAR, arguments).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(Paths.get(System.getProperty("java.home"))).withAgent()
                    .exportingTo(langfuse)
                    .property("voicetrace.deepgram.hosts", "127.0.0.1")
                    .property("voicetrace.elevenlabs.hosts", "127.0.0.1")
                    .jar(RealtimeSocketsIT.REALTIME_APP_JAR, arguments)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            // what the application saw, the same with the agent
            assertTrue(traced.stdout.contains("malformed: closed 1000, frames skipped: 3"), traced::toString);
            assertTrue(traced.stdout.contains("listener throws: onError got IllegalStateException: the player refused"
                    + " the audio"), traced::toString);
            assertTrue(traced.stdout.contains("service fails: closed 1011 after some audio"), traced::toString);
            assertTrue(traced.stdout.contains("faults done"), traced::toString);

            // three observations, each the root of a turn of its own
            List<ReceivedSpan> spans = langfuse.awaitSpans(6, Duration.ofSeconds(30));
            assertEquals(6, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                for (String key : List.of("dg-test-voicetrace-faults-2b4d6f8a0c1e3579",
                        "xi-test-voicetrace-faults-9a7c5e3b1d2f4680")) {
                    assertFalse(call.bodyUtf8().contains(key), "an API key is never exported: " + key);
                }
            }

            // the frames that are not JSON are skipped: the utterance is recorded whole
            ReceivedSpan stt = only(spans, s -> s.name().equals("stt deepgram.listen.live"));
            assertEquals(traced.valueAfter("malformed: heard: "), json(stt, "langfuse.observation.output")
                    .path("text").asText());
            assertNotEquals("ERROR", stt.attribute("langfuse.observation.level"));

            // the listener's exception reached the client's onError: the speech it was receiving failed
            ReceivedSpan refused = only(spans, s -> s.name().equals("tts elevenlabs.text_to_speech.stream_input")
                    && spokenText(s).startsWith("Your table"));
            assertEquals("ERROR", refused.attribute("langfuse.observation.level"));
            assertEquals("java.lang.IllegalStateException: the player refused the audio",
                    refused.attribute("langfuse.observation.status_message"));
            assertEquals("true", refused.attribute("langfuse.observation.metadata.interrupted"));

            // the service closed the socket with 1011 after the first chunk of speech
            ReceivedSpan broken = only(spans, s -> s.name().equals("tts elevenlabs.text_to_speech.stream_input")
                    && spokenText(s).startsWith("The museum"));
            assertEquals("ERROR", broken.attribute("langfuse.observation.level"));
            assertEquals("socket closed with code 1011", broken.attribute("langfuse.observation.status_message"));
            assertEquals("true", broken.attribute("langfuse.observation.metadata.interrupted"));
            long bytes = json(broken, "langfuse.observation.output").path("audio_bytes").asLong();
            assertEquals(10 * 640, bytes, "the stand-in spoke the first ten characters before closing");
        }
    }

    private static String spokenText(ReceivedSpan span) {
        try {
            return json(span, "langfuse.observation.input").path("text").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
