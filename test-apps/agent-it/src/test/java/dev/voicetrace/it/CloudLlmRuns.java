package dev.voicetrace.it;

import static dev.voicetrace.it.Spans.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the google-genai / Bedrock Runtime test app once without and once with the agent, checks
 * that its output is the same, that every model request it made is one generation, that nothing
 * exported holds a credential and that everything is valid for Langfuse.
 */
final class CloudLlmRuns {

    static final Path CLOUD_APP_JAR = Paths.get(System.getProperty("voicetrace.cloud.app.jar"));
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudLlmRuns() {}

    /** The traced run's output, and its generations in the order the application made the calls. */
    record Traced(JvmRun.Result result, List<ReceivedSpan> generations) {}

    static Traced run(Path jdk, LangfuseStandIn langfuse, String scenario, String... secrets)
            throws Exception {
        JvmRun.Result plain = JvmRun.on(jdk).jar(CLOUD_APP_JAR, scenario).run(RUN_TIMEOUT);
        JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse).jar(CLOUD_APP_JAR, scenario)
                .run(RUN_TIMEOUT);
        traced.assertUnchangedFrom(plain);
        assertTrue(traced.stdout.contains("done"), traced::toString);
        assertFalse(traced.stderr.contains("could not read the call"), traced::toString);
        assertFalse(traced.stderr.contains("could not instrument"), traced::toString);

        int served = Integer.parseInt(traced.valueAfter(scenario + " requests served: ").trim());
        // every call is its own turn here: a root span and the generation
        List<ReceivedSpan> spans = langfuse.awaitSpans(2 * served, Duration.ofSeconds(30));
        langfuse.assertAllValid();
        List<ReceivedSpan> generations = spans.stream()
                .filter(s -> "generation".equals(s.attribute("langfuse.observation.type")))
                .sorted(Comparator.comparingLong(ReceivedSpan::startTimeUnixNano))
                .collect(Collectors.toList());
        assertEquals(served, generations.size(),
                () -> "one generation per model request, none counted twice: " + names(spans));
        for (RecordedCall call : langfuse.requests()) {
            String body = call.bodyUtf8();
            for (String secret : secrets) {
                assertFalse(body.contains(secret), "a credential was exported");
            }
        }
        for (String secret : secrets) {
            assertFalse(traced.stderr.contains(secret), "a credential was logged");
        }
        return new Traced(traced, generations);
    }

    static long completionStart(ReceivedSpan span) throws Exception {
        Object value = span.attribute("langfuse.observation.completion_start_time");
        assertTrue(value != null, () -> span.name() + " has no completion start time");
        Instant first = Instant.parse(JSON.readValue((String) value, String.class));
        long nanos = first.getEpochSecond() * 1_000_000_000L + first.getNano();
        assertTrue(nanos > span.startTimeUnixNano() && nanos <= span.endTimeUnixNano(),
                "the first output arrives after the start and by the end of the stream");
        return nanos;
    }
}
