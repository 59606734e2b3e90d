package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo voice pipeline with the agent exporting to a Langfuse that misbehaves: down, silent,
 * slow, failing, rate limiting, refusing the keys, rejecting events, answering garbage, dropping
 * connections. In every case the application runs exactly as without the agent and within a
 * bounded time; when Langfuse recovers every observation arrives (duplicates allowed: same span
 * id), and the agent's shutdown summary accounts for every observation.
 *
 * <p>Cheap scenarios run on every JDK of {@link Jdks#all()}; the slow ones (they wait for timeouts,
 * backoff and the circuit's cooldown) on the JDK running the tests.
 */
class ExportFaultsIT {

    static final int TURNS = 4;
    /** Per turn a root span; turn 1 has STT, two LLM calls and the tool between them, and TTS, later turns three stages. */
    static final int EXPECTED_SPANS = TURNS + 5 + 3 * (TURNS - 1);
    /** Legacy ingestion: per turn a trace-create and a span-create, plus one generation-create per stage and the tool. */
    static final int EXPECTED_EVENTS = 2 * TURNS + 5 + 3 * (TURNS - 1);
    static final String SECRET_KEY = VoicePipelineIT.SECRET_KEY;

    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final Pattern SUMMARY = Pattern.compile("Voicetrace stopped: (.*)");
    private static final Pattern COUNTER = Pattern.compile("([a-z_]+)=(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, JvmRun.Result> PLAIN_RUNS = new ConcurrentHashMap<>();

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    /** The JDK for the slow scenarios: the one running the tests. */
    static Path firstJdk() {
        return Jdks.all().get(0);
    }

    // ---- Langfuse never recovers ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void langfuseDownForTheWholeRun(Path jdk) throws IOException {
        JvmRun.Result traced = traced(jdk, "http://127.0.0.1:" + closedPort(), Map.of(
                "voicetrace.shutdown.timeout.ms", "3000"));

        assertAppUnaffected(jdk, traced);
        Map<String, Long> summary = summary(traced);
        assertEquals(EXPECTED_SPANS, summary.get("queued"), traced::toString);
        assertEquals(0, summary.get("sent"), traced::toString);
        assertEquals(summary.get("queued"), summary.get("failed"),
                "every undelivered observation is reported as failed: " + said(traced));
    }

    @Test
    void blackHoledForTheWholeRunWithAShortExportTimeout() {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            forEveryRequest(langfuse::enqueueBlackHole);
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of(
                    "voicetrace.export.timeout.ms", "1000",
                    "voicetrace.shutdown.timeout.ms", "4000"));

            assertAppUnaffected(jdk, traced);
            assertFalse(langfuse.requests().isEmpty(), "the agent reached the black hole");
            langfuse.assertAllValid();
            Map<String, Long> summary = summary(traced);
            assertEquals(EXPECTED_SPANS, summary.get("queued"), traced::toString);
            assertEquals(0, summary.get("sent"), "no request was ever answered: " + said(traced));
            assertEquals(summary.get("queued"), summary.get("failed"),
                    "every unacknowledged observation is reported as failed: " + said(traced));
            assertEquals(langfuse.requests().size(), summary.get("requests"),
                    "requests counted by the agent: " + said(traced));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void unauthorizedForEverything(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            forEveryRequest(() -> langfuse.enqueueStatus(401));
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of());

            assertAppUnaffected(jdk, traced);
            langfuse.assertAllValid();
            Map<String, Long> summary = summary(traced);
            assertEquals(EXPECTED_SPANS, summary.get("queued"), traced::toString);
            assertEquals(0, summary.get("sent"), said(traced));
            assertEquals(EXPECTED_SPANS, summary.get("failed"), "401: the observations are failed: " + said(traced));
            assertEquals(0, summary.get("retries"), "401 is not retried: " + said(traced));
            List<ReceivedSpan> spans = langfuse.otlpSpans();
            assertEquals(distinctSpanIds(spans).size(), spans.size(), "no observation was sent twice");
            assertEquals(langfuse.requests().size(), summary.get("requests"), said(traced));

            List<String> keyLines = agentLines(traced, "(HTTP 401)");
            assertEquals(1, keyLines.size(), "one clear line about the keys: " + traced.stderr);
            assertTrue(keyLines.get(0).toLowerCase().contains("key"), keyLines.get(0));
        }
    }

    // ---- Langfuse recovers ----

    /**
     * Langfuse does not answer two requests, then answers. A short run exports at exit, where the
     * agent does not wait on a server that does not answer: what it could not send is spooled at
     * once, and the next start sends it first.
     */
    @Test
    void blackHoledForTwoRequestsThenHealthy(@TempDir Path spool) {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            langfuse.enqueueBlackHole().enqueueBlackHole();
            Map<String, String> options = Map.of(
                    "voicetrace.export.timeout.ms", "1000",
                    "voicetrace.export.max.attempts", "3",
                    "voicetrace.shutdown.timeout.ms", "8000",
                    "voicetrace.spool.dir", spool.toString());
            JvmRun.Result first = traced(jdk, langfuse.url(), options);
            assertAppUnaffected(jdk, first);
            JvmRun.Result second = traced(jdk, langfuse.url(), options);

            assertEquals(0, langfuse.pendingScriptedAnswers(), "both black holes were hit");
            assertEveryObservationOfBothRunsDelivered(langfuse, first, second);
        }
    }

    @Test
    void slowAnswersThenNormal() {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            // The exporter waits on each slow answer while observations pile up: two answers are
            // all a four-turn run is sure to meet.
            langfuse.enqueueDelay(Duration.ofSeconds(2)).enqueueDelay(Duration.ofSeconds(2));
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of(
                    "voicetrace.export.timeout.ms", "5000",
                    "voicetrace.shutdown.timeout.ms", "10000"));

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "the slow answers were used");
            assertEveryObservationDelivered(langfuse, traced);
            Map<String, Long> summary = summary(traced);
            assertEquals(0, summary.get("retries"), "a slow answer within the timeout is no failure: "
                    + said(traced));
            List<ReceivedSpan> spans = langfuse.otlpSpans();
            assertEquals(EXPECTED_SPANS, spans.size(), "nothing was sent twice: " + Spans.names(spans));
        }
    }

    /**
     * Langfuse answers 503 and 500 four times, then answers normally. Whatever the exporter met
     * during the run, nothing is lost: what it could not send by exit is spooled and sent first at
     * the next start.
     */
    @Test
    void serverErrorsForTheFirstRequestsThenHealthy(@TempDir Path spool) {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            langfuse.enqueueStatus(503).enqueueStatus(500).enqueueStatus(503).enqueueStatus(500);
            Map<String, String> options = Map.of(
                    // Three attempts, then the circuit opens: the fourth error meets the first probe.
                    "voicetrace.export.max.attempts", "3",
                    "voicetrace.shutdown.timeout.ms", "8000",
                    "voicetrace.spool.dir", spool.toString());
            JvmRun.Result first = traced(jdk, langfuse.url(), options);
            assertAppUnaffected(jdk, first);
            JvmRun.Result second = traced(jdk, langfuse.url(), options);

            assertEquals(0, langfuse.pendingScriptedAnswers(), "all four errors were served");
            assertEveryObservationOfBothRunsDelivered(langfuse, first, second);
            assertTrue(summary(first).get("retries") + summary(second).get("retries") >= 1,
                    said(first) + said(second));
        }
    }

    @Test
    void rateLimitedWithRetryAfterThenHealthy() {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            Map<String, String> headers = Map.of("Content-Type", "application/json", "Retry-After", "1");
            langfuse.enqueueStatus(429, "{\"message\":\"slow down\"}", headers)
                    .enqueueStatus(429, "{\"message\":\"slow down\"}", headers);
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of(
                    "voicetrace.shutdown.timeout.ms", "8000"));

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "both 429s were served");
            assertEveryObservationDelivered(langfuse, traced);
            List<RecordedCall> calls = langfuse.requests();
            for (int limited = 0; limited < 2; limited++) {
                long gapMillis = Duration.between(calls.get(limited).receivedAt(),
                        calls.get(limited + 1).receivedAt()).toMillis();
                assertTrue(gapMillis >= 950, "Retry-After: 1 is honoured, yet request " + (limited + 1)
                        + " came " + gapMillis + " ms after the 429");
            }
            assertTrue(summary(traced).get("retries") >= 2, said(traced));
        }
    }

    @Test
    void connectionClosedMidRequestThenHealthy() {
        Path jdk = firstJdk();
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            langfuse.enqueueDisconnect().enqueueDisconnect().enqueueDisconnect();
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of(
                    "voicetrace.shutdown.timeout.ms", "8000"));

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "all three disconnects happened");
            assertEveryObservationDelivered(langfuse, traced);
            assertTrue(summary(traced).get("retries") >= 1, said(traced));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void okAnswersWhoseBodyIsNotJson(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            for (int i = 0; i < 2; i++) {
                langfuse.enqueueStatus(200, "<html><body>OK</body></html>", Map.of("Content-Type", "text/html"));
            }
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of());

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "the non-JSON answers were used");
            assertEveryObservationDelivered(langfuse, traced);
            assertEquals(0, summary(traced).get("retries"), "a 200 is a delivery, whatever its body: "
                    + said(traced));
        }
    }

    // ---- legacy ingestion API ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void legacyIngestionRejectsSomeEvents(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            langfuse.enqueueIngestionRejections(2).enqueueIngestionRejections(1);
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of("voicetrace.langfuse.api", "ingestion"));

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "both 207s with errors were served");
            langfuse.assertAllValid();
            assertEquals(EXPECTED_EVENTS, distinctEventIds(langfuse).size(), "every event was posted once at least");

            Map<String, Long> summary = summary(traced);
            long rejected = eventsRejectedByScript(langfuse, 2, 1); // both were served, see above
            assertEquals(EXPECTED_EVENTS, summary.get("queued"), said(traced));
            assertEquals(rejected, summary.get("rejected"), said(traced));
            assertEquals(EXPECTED_EVENTS - rejected, summary.get("sent"), said(traced));
            assertEquals(0, summary.get("failed"), said(traced));
            assertEquals(0, summary.get("dropped"), said(traced));
            assertFalse(agentLines(traced, "rejected an event").isEmpty(), "the rejections are logged: " + traced.stderr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void legacyIngestionMultiStatusWhoseBodyIsNotJson(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            for (int i = 0; i < 2; i++) {
                langfuse.enqueueStatus(207, "<html><body>Multi-Status</body></html>", Map.of("Content-Type", "text/html"));
            }
            JvmRun.Result traced = traced(jdk, langfuse.url(), Map.of("voicetrace.langfuse.api", "ingestion"));

            assertAppUnaffected(jdk, traced);
            assertEquals(0, langfuse.pendingScriptedAnswers(), "the non-JSON answers were used");
            langfuse.assertAllValid();
            assertEquals(EXPECTED_EVENTS, distinctEventIds(langfuse).size());

            // The batch was accepted; its per-event results are unknown: nothing failed or was lost.
            Map<String, Long> summary = summary(traced);
            assertEquals(EXPECTED_EVENTS, summary.get("queued"), said(traced));
            assertEquals(EXPECTED_EVENTS, summary.get("sent") + summary.get("rejected"), said(traced));
            assertEquals(0, summary.get("failed"), said(traced));
            assertEquals(0, summary.get("dropped"), said(traced));
        }
    }

    // ---- runs ----

    /** The demo app with the agent exporting to {@code host}; {@code overrides} win over the defaults. */
    private static JvmRun.Result traced(Path jdk, String host, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("voicetrace.batch.delay.ms", "100");
        properties.put("voicetrace.shutdown.timeout.ms", "5000");
        properties.putAll(overrides);
        JvmRun run = JvmRun.on(jdk).withAgent()
                .env("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY)
                .env("LANGFUSE_SECRET_KEY", SECRET_KEY)
                .env("LANGFUSE_HOST", host);
        properties.forEach(run::property);
        return run.jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS).run(VoicePipelineIT.RUN_TIMEOUT);
    }

    /** The same app without the agent, run once per JDK and reused. */
    private static JvmRun.Result plain(Path jdk) {
        return PLAIN_RUNS.computeIfAbsent(jdk, ExportFaultsIT::runPlain);
    }

    private static JvmRun.Result runPlain(Path jdk) {
        JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, plain.exitCode, plain::toString);
        assertTrue(plain.stdout.contains("pipeline done: " + TURNS + " turns"), plain::toString);
        return plain;
    }

    /** Scripts an answer for more requests than any run here makes. */
    private static void forEveryRequest(Runnable enqueueOne) {
        for (int i = 0; i < 200; i++) {
            enqueueOne.run();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---- checks ----

    /** Same output and exit code as without the agent, no stack trace, no secret, bounded time. */
    private static void assertAppUnaffected(Path jdk, JvmRun.Result traced) {
        JvmRun.Result plain = plain(jdk);
        assertEquals(plain.exitCode, traced.exitCode, traced::toString);
        assertEquals(plain.stdout, traced.stdout, "the agent must not change the application's output");
        for (String line : traced.stderr.split("\\R")) {
            assertFalse(line.matches("\\s+at \\S+\\(.*\\)\\s*") || line.startsWith("Caused by: ")
                    || line.contains("Exception in thread"), "no stack trace on stderr: " + line + "\n" + traced);
        }
        assertFalse(traced.stderr.contains(SECRET_KEY), "the secret key is never logged");
        assertFalse(traced.stdout.contains(SECRET_KEY), "the secret key is never printed");
        Duration without = plain.elapsed;
        if (traced.elapsed.compareTo(timeBound(without)) > 0) {
            // The machine is shared: before failing, measure the run without the agent again, now.
            without = max(without, runPlain(jdk).elapsed);
        }
        System.out.println("[ExportFaultsIT] " + jdk.getFileName() + ": " + traced.elapsed.toMillis()
                + " ms with the agent, " + without.toMillis() + " ms without; " + agentLines(traced, "stopped:"));
        assertTrue(traced.elapsed.compareTo(timeBound(without)) <= 0, "the run took " + traced.elapsed.toMillis()
                + " ms with the agent, " + without.toMillis() + " ms without (bound "
                + timeBound(without).toMillis() + " ms): " + said(traced));
    }

    /** How long a run with the agent may take: twice the run without, plus ten seconds. */
    private static Duration timeBound(Duration withoutAgent) {
        return withoutAgent.multipliedBy(2).plusSeconds(10);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Two runs sharing a spool directory: every span id of both arrived once, every request is
     * valid, and what the first run did not send by exit was spooled, not lost.
     */
    private static void assertEveryObservationOfBothRunsDelivered(LangfuseStandIn langfuse, JvmRun.Result first,
                                                                 JvmRun.Result second) {
        Set<String> ids = awaitDistinctSpanIds(langfuse, 2 * EXPECTED_SPANS);
        assertEquals(2 * EXPECTED_SPANS, ids.size(), "distinct span ids of both runs");
        langfuse.assertAllValid();
        Map<String, Long> before = summary(first);
        assertEquals(EXPECTED_SPANS, before.get("queued"), said(first));
        // A batch spooled during the outage may be sent again before exit once Langfuse answers:
        // then it counts as spooled and as sent (the distinct span ids above show it arrived once).
        assertTrue(before.get("sent") <= EXPECTED_SPANS
                && before.get("sent") + before.get("spooled") >= EXPECTED_SPANS, "sent or spooled: " + said(first));
        assertEquals(0, before.get("failed"), said(first));
        Map<String, Long> after = summary(second);
        assertEquals(0, after.get("failed"), said(second));
        assertEquals(0, after.get("spooled"), "the second run left nothing behind: " + said(second));
    }

    /** After recovery: every span id arrived, every request is valid, and the summary adds up. */
    private static void assertEveryObservationDelivered(LangfuseStandIn langfuse, JvmRun.Result traced) {
        Set<String> ids = awaitDistinctSpanIds(langfuse, EXPECTED_SPANS);
        assertEquals(EXPECTED_SPANS, ids.size(), "distinct span ids");
        langfuse.assertAllValid();
        Map<String, Long> summary = summary(traced);
        assertEquals(EXPECTED_SPANS, summary.get("queued"), said(traced));
        assertEquals(EXPECTED_SPANS, summary.get("sent"), said(traced));
        assertEquals(0, summary.get("failed"), said(traced));
        assertEquals(0, summary.get("rejected"), said(traced));
        assertEquals(0, summary.get("dropped"), said(traced));
        assertEquals(langfuse.requests().size(), summary.get("requests"),
                "every request the agent counted reached the stand-in: " + said(traced));
    }

    /** What the agent said on stderr, for failure messages. */
    private static String said(JvmRun.Result traced) {
        return "\nagent stderr:\n" + traced.stderr;
    }

    /** The counters of the one {@code Voicetrace stopped:} line on stderr. */
    private static Map<String, Long> summary(JvmRun.Result traced) {
        Map<String, Long> counters = new LinkedHashMap<>();
        Matcher matcher = COUNTER.matcher(summaryLine(traced));
        while (matcher.find()) {
            counters.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        for (String name : List.of("queued", "sent", "failed", "rejected", "dropped", "retries", "requests")) {
            assertTrue(counters.containsKey(name), "summary lacks " + name + ": " + said(traced));
        }
        return counters;
    }

    private static String summaryLine(JvmRun.Result traced) {
        List<String> lines = agentLines(traced, "Voicetrace stopped:");
        assertEquals(1, lines.size(), "one summary line at shutdown:\n" + traced.stderr);
        Matcher matcher = SUMMARY.matcher(lines.get(0));
        assertTrue(matcher.find(), lines.get(0));
        return matcher.group(1);
    }

    /** The agent's stderr lines containing {@code text}. */
    private static List<String> agentLines(JvmRun.Result traced, String text) {
        return Stream.of(traced.stderr.split("\\R"))
                .filter(line -> line.startsWith("[voicetrace]") && line.contains(text))
                .collect(Collectors.toList());
    }

    private static Set<String> awaitDistinctSpanIds(LangfuseStandIn langfuse, int expected) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        Set<String> ids = distinctSpanIds(langfuse.otlpSpans());
        while (ids.size() < expected && System.nanoTime() < deadline) {
            sleep(50);
            ids = distinctSpanIds(langfuse.otlpSpans());
        }
        return ids;
    }

    private static Set<String> distinctSpanIds(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    }

    private static Set<String> distinctEventIds(LangfuseStandIn langfuse) {
        Set<String> ids = new HashSet<>();
        for (JsonNode event : langfuse.ingestionEvents()) {
            ids.add(event.path("id").asText());
        }
        return ids;
    }

    /**
     * Events the stand-in rejected when {@code enqueueIngestionRejections(counts[i])} answered the
     * i-th request: the first {@code counts[i]} events of that batch, or all of a smaller batch.
     */
    private static long eventsRejectedByScript(LangfuseStandIn langfuse, int... counts) {
        List<RecordedCall> calls = langfuse.requests();
        assertTrue(calls.size() >= counts.length, "requests: " + calls);
        long rejected = 0;
        for (int i = 0; i < counts.length; i++) {
            try {
                rejected += Math.min(counts[i], JSON.readTree(calls.get(i).body()).path("batch").size());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + calls.get(i), e);
            }
        }
        return rejected;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
