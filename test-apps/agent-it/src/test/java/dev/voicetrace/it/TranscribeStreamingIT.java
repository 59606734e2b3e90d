package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.json;
import static dev.voicetrace.it.Spans.names;
import static dev.voicetrace.it.Spans.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Amazon Transcribe streaming (the AWS SDK v2 async client over HTTP/2, against the cloud speech
 * app's event-stream stand-in) in a separate JVM with the agent: the stream is one STT generation
 * with its transcript, audio and billed seconds, the Polly reply joins its turn, and a stream the
 * service refuses is an ERROR observation.
 */
class TranscribeStreamingIT {

    /** The transcription, its Polly reply, the refused transcription. */
    static final int OBSERVATIONS = 3;
    /** Each transcription opens a turn, the refused one too. */
    static final int TURNS = 2;
    static final String STT = "stt aws-transcribe.StartStreamTranscription";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EPS = 1e-12;

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aTranscriptionStreamIsOneSttGenerationThatOpensTheTurn(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(CloudSpeechIT.APP_JAR, "--scenario", "transcribe")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "call-transcribe-1")
                    .jar(CloudSpeechIT.APP_JAR, "--scenario", "transcribe").run(VoicePipelineIT.RUN_TIMEOUT);

            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains("cloud speech done"), traced::toString);
            assertEquals("transcribe refused, BadRequestException", traced.valueAfter("transcribe-1: "));
            assertFalse(traced.stderr.contains("could not"), traced::toString);

            List<ReceivedSpan> spans = langfuse.awaitSpans(OBSERVATIONS + TURNS, Duration.ofSeconds(30));
            assertEquals(OBSERVATIONS + TURNS, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                String body = call.bodyUtf8();
                assertFalse(body.contains(CloudSpeechIT.AWS_KEY_ID), "the AWS access key id is never exported");
                assertFalse(body.contains(CloudSpeechIT.AWS_SECRET), "the AWS secret is never exported");
                assertFalse(body.contains("AWS4-HMAC-SHA256"), "no signature is exported");
            }
            assertFalse(traced.stderr.contains(CloudSpeechIT.AWS_SECRET));

            Matcher heardLine = Pattern.compile("(.*) \\(transcribe stream, (\\d+) partial results\\)")
                    .matcher(traced.valueAfter("turn 6 heard: "));
            assertTrue(heardLine.matches(), traced::toString);
            String heard = heardLine.group(1);
            int partial = Integer.parseInt(heardLine.group(2));
            assertTrue(partial > 0, "the stand-in sends partial results");

            ReceivedSpan stt = only(spans, s -> s.name().equals(STT)
                    && !"ERROR".equals(s.attribute("langfuse.observation.level")));
            assertEquals("aws-transcribe-streaming", stt.attribute("langfuse.observation.model.name"));
            assertEquals("true", stt.attribute("langfuse.observation.metadata.streaming"));
            JsonNode output = json(stt, "langfuse.observation.output");
            assertEquals(heard, output.path("text").asText());
            assertEquals(partial, output.path("partial_results").asInt(), "every partial result is counted");
            assertEquals(1, output.path("final_results").asInt());
            assertTrue(output.path("confidence").asDouble() > 0.9, output::toString);
            JsonNode input = json(stt, "langfuse.observation.input");
            // 1.8 s of 16-bit mono PCM at 16 kHz, sent in AudioEvents
            assertEquals(57_600, input.path("audio").path("bytes").asLong());
            assertEquals(1.8, input.path("audio").path("duration_seconds").asDouble(), EPS);
            assertEquals("pcm", input.path("audio").path("encoding").asText());
            assertEquals(16_000, input.path("audio").path("sample_rate_hertz").asInt());
            assertEquals("en-US", input.path("language").asText());
            JsonNode parameters = json(stt, "langfuse.observation.model.parameters");
            assertEquals("restaurant-terms", parameters.path("vocabulary_name").asText());
            assertTrue(parameters.path("enable_partial_results_stabilization").asBoolean());
            assertEquals("high", parameters.path("partial_results_stability").asText());
            assertEquals(16_000, parameters.path("sample_rate").asInt());
            assertEquals("5c0f2d3e-0000-4000-8000-000000000001", stt.attribute("langfuse.observation.metadata.request_id"));
            assertNotNull(stt.attribute("langfuse.observation.metadata.session_id"));
            // billed at Transcribe's 15-second minimum, at USD 0.024 a minute
            assertNull(stt.attribute("langfuse.observation.usage_details"), "seconds are not tokens");
            assertEquals("15000", stt.attribute("langfuse.observation.metadata.billed_audio_ms"));
            double cost = json(stt, "langfuse.observation.cost_details").path("total").asDouble();
            assertEquals(15 / 60.0 * 0.024, cost, EPS);
            assertTrue(cost > 0);
            long first = firstOutput(stt);
            assertTrue(first < stt.endTimeUnixNano(), "the first result comes before the end of the stream");

            ReceivedSpan root = only(spans, s -> s.isRoot() && s.traceId().equals(stt.traceId()));
            assertEquals(heard, JSON.readValue((String) root.attribute("langfuse.trace.input"), String.class),
                    "the transcript opens the turn");
            assertEquals("call-transcribe-1", root.attribute("langfuse.session.id"));
            ReceivedSpan tts = only(spans, s -> s.name().equals("tts aws-polly.SynthesizeSpeech"));
            assertEquals(stt.traceId(), tts.traceId(), "the Polly reply joins the transcription's turn");
            assertNotNull(root.attribute("langfuse.trace.metadata.voice_to_voice_ms"));

            ReceivedSpan refused = only(spans, s -> s.name().equals(STT)
                    && "ERROR".equals(s.attribute("langfuse.observation.level")));
            String status = (String) refused.attribute("langfuse.observation.status_message");
            assertTrue(status.contains("BadRequestException") && status.contains("sample rate 96000"), status);
            assertNull(refused.attribute("langfuse.observation.cost_details"), "a refused stream costs nothing");
            assertEquals(96_000, json(refused, "langfuse.observation.input").path("audio").path("sample_rate_hertz")
                    .asInt());
            assertFalse(refused.traceId().equals(stt.traceId()), "the refused stream opens its own turn");
        }
    }

    private static long firstOutput(ReceivedSpan span) throws Exception {
        Object value = span.attribute("langfuse.observation.completion_start_time");
        assertNotNull(value, () -> span.name() + " has a first-result time: " + span.attributes());
        Instant first = Instant.parse(JSON.readValue((String) value, String.class));
        long nanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
        assertTrue(nanos >= span.startTimeUnixNano() && nanos <= span.endTimeUnixNano(),
                () -> span.name() + ": first result within the call");
        return nanos;
    }
}
