package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.RecordedCall;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Eight application threads share many intercepted calls; the exporter points at the Langfuse
 * stand-in. Nothing is lost when the queues are large enough, and when they are not, every
 * observation is either delivered or counted as dropped.
 */
class LoadIT {

    private static final Path JAVA = Paths.get(System.getProperty("java.home"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Pattern SUMMARY = Pattern.compile(
            "Voicetrace stopped: queued=(\\d+) sent=(\\d+) failed=(\\d+) rejected=(\\d+) dropped=(\\d+)");
    private static final Pattern HEAP = Pattern.compile("heap_used_mb=(\\d+)");

    @Test
    void aHundredThousandCallsFromEightThreadsArriveWithoutLoss() throws IOException {
        int calls = 100_000;
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = load(JvmRun.on(JAVA), calls);
            JvmRun.Result traced = load(withLangfuse(JvmRun.on(JAVA).withAgent(), langfuse)
                    .property("voicetrace.capture.queue.size", "250000")
                    .property("voicetrace.export.queue.size", "250000")
                    .property("voicetrace.shutdown.timeout.ms", "60000"), calls);
            assertEquals(plain.stdout, traced.stdout);
            assertEquals("load done: threads=8 calls=" + calls + " reply_chars=" + (140L * calls), traced.stdout.trim());

            // Every call is an LLM generation in a turn of its own: two spans per call.
            long expected = 2L * calls;
            assertEquals(expected, distinctSpanIds(langfuse).size(), traced.stderr);
            Matcher summary = summary(traced);
            assertEquals(expected, Long.parseLong(summary.group(2)), "sent");
            assertEquals(0, Long.parseLong(summary.group(3)), "failed");
            assertEquals(0, Long.parseLong(summary.group(5)), "dropped");

            // The agent holds at most its queues: the run fits the same 512 MB heap limit as the
            // run without it. The figures are printed for the record, not compared: with queues
            // this large they measure the backlog still waiting for the processing thread.
            assertFalse(traced.stderr.contains("OutOfMemoryError"), traced.stderr);
            System.out.println("LoadIT heap after the calls, after a full GC: " + heapMb(plain) + " MB without the agent, "
                    + heapMb(traced) + " MB with it (limit 512 MB)");
        }
    }

    @Test
    void whenTheQueueOverflowsEveryObservationIsDeliveredOrCountedAsDropped() throws IOException {
        int calls = 30_000;
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            // A slow Langfuse at first: the small export queue overflows while requests hang.
            for (int i = 0; i < 4; i++) {
                langfuse.enqueueDelay(Duration.ofSeconds(2));
            }
            JvmRun.Result traced = load(withLangfuse(JvmRun.on(JAVA).withAgent(), langfuse)
                    .property("voicetrace.capture.queue.size", "100000")
                    .property("voicetrace.export.queue.size", "500")
                    .property("voicetrace.shutdown.timeout.ms", "60000"), calls);
            assertEquals(0, traced.exitCode, traced::toString);

            long expected = 2L * calls;
            Matcher summary = summary(traced);
            long sent = Long.parseLong(summary.group(2));
            long failed = Long.parseLong(summary.group(3));
            long dropped = Long.parseLong(summary.group(5));
            assertTrue(dropped > 0, "the queue did overflow: " + summary.group());
            assertEquals(0, failed, summary.group());
            assertEquals(expected, sent + dropped, "every observation is sent or counted: " + summary.group());
            assertEquals(sent, distinctSpanIds(langfuse).size(), "what was counted as sent arrived");
        }
    }

    private static JvmRun withLangfuse(JvmRun run, LangfuseStandIn langfuse) {
        // Uncompressed: the stand-in then spends its time counting spans, not inflating them.
        return run.exportingTo(langfuse).property("voicetrace.export.gzip", "false");
    }

    private static JvmRun.Result load(JvmRun run, int calls) {
        JvmRun.Result result = run.property("voicetrace.log.level", "info")
                .mainClass(JvmRun.VOICE_APP_JAR, "dev.voicetrace.testapp.openai.LoadApp", "8", Integer.toString(calls))
                .jvmOption("-Xmx512m")
                .run(RUN_TIMEOUT);
        assertEquals(0, result.exitCode, result::toString);
        return result;
    }

    private static Matcher summary(JvmRun.Result run) {
        Matcher matcher = SUMMARY.matcher(run.stderr);
        assertTrue(matcher.find(), "no summary line in: " + run.stderr);
        return matcher;
    }

    private static long heapMb(JvmRun.Result run) {
        Matcher matcher = HEAP.matcher(run.stderr);
        assertTrue(matcher.find(), run.stderr);
        return Long.parseLong(matcher.group(1));
    }

    /** Span ids in every OTLP request received, read with a streaming parser: there are many. */
    private static Set<String> distinctSpanIds(LangfuseStandIn langfuse) throws IOException {
        JsonFactory factory = new JsonFactory();
        Set<String> ids = new HashSet<>();
        List<RecordedCall> requests = langfuse.requests(LangfuseStandIn.OTLP_PATH);
        for (RecordedCall call : requests) {
            try (JsonParser parser = factory.createParser(call.body())) {
                while (parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && "spanId".equals(parser.currentName())) {
                        parser.nextToken();
                        ids.add(parser.getText());
                    }
                }
            }
        }
        return ids;
    }
}
