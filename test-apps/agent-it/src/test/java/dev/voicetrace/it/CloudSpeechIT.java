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
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cloud speech test app (Google Speech-to-Text v1/v2 unary and streaming, Google
 * Text-to-Speech unary and streaming, Amazon Polly sync and async, Amazon Transcribe streaming) in a separate JVM with the
 * agent, against its loopback stand-ins: every call arrives as an STT or TTS observation with the
 * service's own figures, and nothing of the fake credentials leaves the application.
 */
class CloudSpeechIT {

    static final Path APP_JAR = Paths.get(System.getProperty("voicetrace.cloud.speech.app.jar"));
    /** The app's fake AWS credentials: the key id is in SigV4 headers sent to the stand-in, never exported. */
    static final String AWS_KEY_ID = "AKIAVOICETRACEDEMO01";
    static final String AWS_SECRET = "voicetrace/demo/secret/key/0000000000000000";
    /** 7 STT and 8 TTS calls. */
    static final int OBSERVATIONS = 15;
    /**
     * Each transcription starts a turn in the calling thread's context; the speech calls made after
     * it on that thread join its turn, with no LLM call between them.
     */
    static final int TURNS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EPS = 1e-12;

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void speechCallsBecomeSttAndTtsObservations(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(APP_JAR).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.session.id", "call-cloud-3")
                    .jar(APP_JAR).run(VoicePipelineIT.RUN_TIMEOUT);

            traced.assertUnchangedFrom(plain);
            assertTrue(traced.stdout.contains("cloud speech done"), traced::toString);
            assertFalse(traced.stderr.contains("could not"), traced::toString);
            // every member the readers require was found in these versions, at start and at every read
            assertFalse(traced.stderr.contains("SDK drift"), traced::toString);
            assertFalse(traced.stderr.contains(AWS_KEY_ID) || traced.stderr.contains(AWS_SECRET));

            List<ReceivedSpan> spans = langfuse.awaitSpans(OBSERVATIONS + TURNS, Duration.ofSeconds(30));
            assertEquals(OBSERVATIONS + TURNS, spans.size(), () -> "spans: " + names(spans));
            langfuse.assertAllValid();
            for (RecordedCall call : langfuse.requests()) {
                String body = call.bodyUtf8();
                assertFalse(body.contains(AWS_KEY_ID), "the AWS access key id is never exported");
                assertFalse(body.contains(AWS_SECRET), "the AWS secret is never exported");
                assertFalse(body.contains("AWS4-HMAC-SHA256"), "no signature header is exported");
            }
            List<ReceivedSpan> observations = spans.stream().filter(s -> !s.isRoot()).collect(Collectors.toList());
            assertEquals(OBSERVATIONS, observations.size(), () -> "observations: " + names(spans));
            for (ReceivedSpan observation : observations) {
                assertEquals("call-cloud-3", root(spans, observation).attribute("langfuse.session.id"));
            }

            ReceivedSpan stt1 = checkStreamingStt(spans, traced, 1, "v1", "google-speech-v1/latest_long", 0.024, 2);
            ReceivedSpan stt2 = checkStreamingStt(spans, traced, 2, "v2", "google-speech-v2/long", 0.016, 2);
            ReceivedSpan stt3 = checkUnaryStt(spans, traced, 3, "v1", "google-speech-v1/latest_short", 0.024, 2);
            ReceivedSpan stt4 = checkUnaryStt(spans, traced, 4, "v2", "google-speech-v2/short", 0.016, 1);
            checkRefusedStt(spans);
            ReceivedSpan stt5 = checkLongRunningStt(spans, traced);

            ReceivedSpan tts1 = checkPolly(spans, traced, "turn 1 said: polly ",
                    "It is sunny in Lisbon today, twenty three degrees.", "polly-neural", 16.00, false);
            ReceivedSpan tts4 = checkPolly(spans, traced, "turn 4 said: polly async ",
                    "Goodbye, and thank you for calling.", "polly-generative", 30.00, false);
            ReceivedSpan ssml = checkPolly(spans, traced, "polly-1: polly ",
                    "<speak>Your table is booked for <break time=\"300ms\"/> eight o'clock.</speak>",
                    "polly-standard", 4.00, false);
            ReceivedSpan stopped = checkPolly(spans, traced, "polly-2: polly playback stopped after ",
                    "Let me read you the whole list of our opening hours for every day.", "polly-neural", 16.00, true);
            ReceivedSpan refused = checkRefusedPolly(spans);
            ReceivedSpan tts6 = checkPolly(spans, traced, "turn 6 said: polly ",
                    "Yes, there is a vegetarian menu every evening.", "polly-neural", 16.00, false);
            ReceivedSpan stt6 = byOperation(spans, "stt aws-transcribe.StartStreamTranscription",
                    run6Heard(traced), true);
            assertEquals("aws-transcribe-streaming", stt6.attribute("langfuse.observation.model.name"));
            checkFirstOutput(stt6);
            ReceivedSpan[] googleTts = checkGoogleTts(spans, traced);

            // every speech call joins the turn of the transcription made before it on the same thread
            sameTurn(spans, stt1, tts1);
            sameTurn(spans, stt2, googleTts[0]);
            sameTurn(spans, stt3, googleTts[1]);
            sameTurn(spans, stt4, tts4);
            sameTurn(spans, stt6, tts6);
            for (ReceivedSpan later : new ReceivedSpan[] {ssml, stopped, refused}) {
                sameTurn(spans, stt5, later);
            }
            assertNotNull(root(spans, stt1).attribute("langfuse.trace.metadata.voice_to_voice_ms"),
                    "a turn with both stages has its voice-to-voice time");
        }
    }

    /** What Transcribe streaming heard in turn 6 (its own IT checks the rest). */
    private static String run6Heard(JvmRun.Result run) {
        Matcher line = Pattern.compile("(.*) \\(transcribe stream, \\d+ partial results\\)")
                .matcher(run.valueAfter("turn 6 heard: "));
        assertTrue(line.matches(), run::toString);
        return line.group(1);
    }

    private static ReceivedSpan root(List<ReceivedSpan> spans, ReceivedSpan observation) {
        return only(spans, s -> s.isRoot() && s.traceId().equals(observation.traceId()));
    }

    private static ReceivedSpan byOperation(List<ReceivedSpan> spans, String name, String inputOrOutputText,
                                            boolean output) {
        return only(spans, s -> {
            if (!s.name().equals(name)) {
                return false;
            }
            Object value = s.attribute(output ? "langfuse.observation.output" : "langfuse.observation.input");
            try {
                return value != null && inputOrOutputText.equals(JSON.readTree((String) value).path("text").asText());
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** The first-result or first-byte time lies within the call. */
    private static long checkFirstOutput(ReceivedSpan span) throws Exception {
        Object value = span.attribute("langfuse.observation.completion_start_time");
        assertNotNull(value, () -> span.name() + " has a first-output time: " + span.attributes());
        Instant first = Instant.parse(JSON.readValue((String) value, String.class));
        long nanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
        assertTrue(nanos >= span.startTimeUnixNano() && nanos <= span.endTimeUnixNano(),
                () -> span.name() + ": first output within the call");
        return nanos;
    }

    private static void sameTurn(List<ReceivedSpan> spans, ReceivedSpan stt, ReceivedSpan tts) {
        assertEquals(stt.traceId(), tts.traceId(), () -> tts.name() + " joins " + stt.name() + "'s turn: "
                + names(spans));
    }

    private static ReceivedSpan checkStreamingStt(List<ReceivedSpan> spans, JvmRun.Result run, int turn, String version,
                                          String model, double perMinute, int billedSeconds) throws Exception {
        Matcher line = Pattern.compile("(.*) \\(google stt " + version + " stream, (\\d+) interim results\\)")
                .matcher(run.valueAfter("turn " + turn + " heard: "));
        assertTrue(line.matches(), run::toString);
        String heard = line.group(1);
        int interim = Integer.parseInt(line.group(2));
        assertTrue(interim > 0, "the stand-in sends interim results");

        ReceivedSpan stt = byOperation(spans, "stt google-speech.speech." + version + ".StreamingRecognize", heard,
                true);
        assertEquals(model, stt.attribute("langfuse.observation.model.name"));
        assertEquals("true", stt.attribute("langfuse.observation.metadata.streaming"));
        JsonNode output = json(stt, "langfuse.observation.output");
        assertEquals(interim, output.path("partial_results").asInt(), "every interim result is counted");
        assertEquals(1, output.path("final_results").asInt());
        assertTrue(output.path("confidence").asDouble() > 0.9, output::toString);
        assertEquals("en-us", output.path("language").asText());
        JsonNode input = json(stt, "langfuse.observation.input");
        assertEquals("LINEAR16", input.path("audio").path("encoding").asText());
        assertEquals(16_000, input.path("audio").path("sample_rate_hertz").asInt());
        assertTrue(input.path("audio").path("bytes").asLong() > 0);
        assertEquals("en-US", input.path("language").asText());
        assertTrue(json(stt, "langfuse.observation.model.parameters").path("interim_results").asBoolean());
        long first = checkFirstOutput(stt);
        assertTrue(first < stt.endTimeUnixNano(), "the first interim result comes before the end of the stream");
        checkSttCost(stt, perMinute, billedSeconds);
        assertEquals(heard, JSON.readValue((String) root(spans, stt).attribute("langfuse.trace.input"), String.class),
                "the transcript opens the turn");
        return stt;
    }

    private static ReceivedSpan checkUnaryStt(List<ReceivedSpan> spans, JvmRun.Result run, int turn, String version,
                                      String model, double perMinute, int billedSeconds) throws Exception {
        Matcher line = Pattern.compile("(.*) \\(google stt " + version + ", billed (\\d+) s\\)")
                .matcher(run.valueAfter("turn " + turn + " heard: "));
        assertTrue(line.matches(), run::toString);
        assertEquals(billedSeconds, Integer.parseInt(line.group(2)));
        ReceivedSpan stt = byOperation(spans, "stt google-speech.speech." + version + ".Recognize", line.group(1),
                true);
        assertEquals(model, stt.attribute("langfuse.observation.model.name"));
        assertEquals("false", stt.attribute("langfuse.observation.metadata.streaming"));
        checkFirstOutput(stt);
        checkSttCost(stt, perMinute, billedSeconds);
        return stt;
    }

    private static ReceivedSpan checkLongRunningStt(List<ReceivedSpan> spans, JvmRun.Result run) throws Exception {
        Matcher line = Pattern.compile("(.*) \\(google stt v1 long-running, billed (\\d+) s\\)")
                .matcher(run.valueAfter("turn 5 heard: "));
        assertTrue(line.matches(), run::toString);
        ReceivedSpan stt = byOperation(spans, "stt google-speech.speech.v1.LongRunningRecognize", line.group(1), true);
        assertEquals("google-speech-v1/latest_long", stt.attribute("langfuse.observation.model.name"));
        assertEquals(2.5, json(stt, "langfuse.observation.input").path("audio").path("duration_seconds").asDouble(),
                EPS);
        checkFirstOutput(stt);
        checkSttCost(stt, 0.024, Integer.parseInt(line.group(2)));
        return stt;
    }

    private static void checkSttCost(ReceivedSpan stt, double perMinute, int billedSeconds) throws Exception {
        assertNull(stt.attribute("langfuse.observation.usage_details"), "seconds are not tokens");
        assertEquals(Integer.toString(billedSeconds * 1000), stt.attribute("langfuse.observation.metadata.billed_audio_ms"));
        assertEquals(billedSeconds / 60.0 * perMinute,
                json(stt, "langfuse.observation.cost_details").path("audio").asDouble(), EPS);
        assertEquals(billedSeconds / 60.0 * perMinute,
                json(stt, "langfuse.observation.cost_details").path("total").asDouble(), EPS);
    }

    private static void checkRefusedStt(List<ReceivedSpan> spans) throws Exception {
        ReceivedSpan refused = only(spans, s -> s.name().equals("stt google-speech.speech.v1.Recognize")
                && "ERROR".equals(s.attribute("langfuse.observation.level")));
        assertTrue(((String) refused.attribute("langfuse.observation.status_message")).contains("INVALID_ARGUMENT"));
        assertNull(refused.attribute("langfuse.observation.cost_details"), "a refused request costs nothing");
        assertEquals(3200, json(refused, "langfuse.observation.input").path("audio").path("bytes").asInt());
    }

    private static ReceivedSpan checkPolly(List<ReceivedSpan> spans, JvmRun.Result run, String prefix, String text,
                                   String model, double perMillion, boolean interrupted) throws Exception {
        String line = run.valueAfter(prefix);
        long bytes = Long.parseLong(line.split(" ")[0]);
        ReceivedSpan tts = byOperation(spans, "tts aws-polly.SynthesizeSpeech", text, false);
        assertEquals(model, tts.attribute("langfuse.observation.model.name"));
        JsonNode output = json(tts, "langfuse.observation.output");
        assertEquals(bytes, output.path("audio_bytes").asLong(), "the bytes the application read");
        assertEquals(interrupted, output.path("interrupted").asBoolean(false));
        assertEquals(interrupted ? "true" : null, tts.attribute("langfuse.observation.metadata.interrupted"));
        assertNull(tts.attribute("langfuse.observation.usage_details"), "characters are not tokens");
        long characters = Long.parseLong((String) tts.attribute("langfuse.observation.metadata.tts_characters"));
        if (!interrupted) {
            Matcher billed = Pattern.compile(".*, (\\d+) characters").matcher(line);
            assertTrue(billed.matches(), line);
            assertEquals(Long.parseLong(billed.group(1)), characters, "Polly's x-amzn-RequestCharacters");
        }
        assertTrue(characters > 0);
        assertEquals(characters * perMillion / 1e6,
                json(tts, "langfuse.observation.cost_details").path("total").asDouble(), EPS);
        checkFirstOutput(tts);
        assertNotNull(root(spans, tts).attribute("langfuse.trace.metadata.tts_time_to_first_byte_ms"));
        return tts;
    }

    private static ReceivedSpan checkRefusedPolly(List<ReceivedSpan> spans) {
        ReceivedSpan refused = only(spans, s -> s.name().equals("tts aws-polly.SynthesizeSpeech")
                && "ERROR".equals(s.attribute("langfuse.observation.level")));
        assertTrue(((String) refused.attribute("langfuse.observation.status_message")).contains("Status Code: 400"));
        assertEquals("Nobody", refused.attribute("langfuse.observation.metadata.voice"));
        assertNull(refused.attribute("langfuse.observation.cost_details"), "a refused request costs nothing");
        return refused;
    }

    private static ReceivedSpan[] checkGoogleTts(List<ReceivedSpan> spans, JvmRun.Result run) throws Exception {
        String unaryReply = "Your table for two is booked for eight o'clock.";
        ReceivedSpan unary = byOperation(spans, "tts google-texttospeech.texttospeech.v1.SynthesizeSpeech",
                unaryReply, false);
        long unaryBytes = Long.parseLong(run.valueAfter("turn 2 said: ").split(" ")[0]);
        assertEquals(unaryBytes, json(unary, "langfuse.observation.output").path("audio_bytes").asLong());
        assertEquals("google-tts/neural2", unary.attribute("langfuse.observation.model.name"));
        // LINEAR16 at 24 kHz comes as a WAV file: its duration from the bytes after the 44-byte header
        assertEquals((unaryBytes - 44) / 48_000.0,
                json(unary, "langfuse.observation.output").path("duration_seconds").asDouble(), 0.001);
        assertEquals(unaryReply.length() * 16.00 / 1e6,
                json(unary, "langfuse.observation.cost_details").path("total").asDouble(), EPS);
        checkFirstOutput(unary);

        String streamedReply = "Yes, the tile museum opens at ten on Sunday.";
        ReceivedSpan stream = byOperation(spans, "tts google-texttospeech.texttospeech.v1.StreamingSynthesize",
                streamedReply, false);
        Matcher line = Pattern.compile("(\\d+) bytes in (\\d+) chunks \\(google tts stream\\)")
                .matcher(run.valueAfter("turn 3 said: "));
        assertTrue(line.matches(), run::toString);
        JsonNode output = json(stream, "langfuse.observation.output");
        assertEquals(Long.parseLong(line.group(1)), output.path("audio_bytes").asLong());
        assertEquals(Integer.parseInt(line.group(2)), output.path("audio_chunks").asInt());
        assertEquals("2", stream.attribute("langfuse.observation.metadata.text_chunks"));
        assertEquals("google-tts/chirp3-hd", stream.attribute("langfuse.observation.model.name"));
        assertEquals("tts", stream.attribute("langfuse.observation.metadata.stage"));
        assertEquals(streamedReply.length() * 30.00 / 1e6,
                json(stream, "langfuse.observation.cost_details").path("total").asDouble(), EPS);
        long first = checkFirstOutput(stream);
        assertTrue(first < stream.endTimeUnixNano(), "the first audio chunk comes before the end of the stream");
        return new ReceivedSpan[] {unary, stream};
    }
}
