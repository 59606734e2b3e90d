package dev.voicetrace.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseSchema;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.RecordedCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LangfuseHttpSenderTest {

    private static final String PUBLIC_KEY = "pk-lf-1234567890abcdef";
    private static final String SECRET_KEY = "sk-lf-topsecret-0000-1111-2222";

    private final LangfuseStandIn langfuse = new LangfuseStandIn();
    private final ExportStats stats = new ExportStats();

    @AfterEach
    void stop() {
        langfuse.close();
    }

    private LangfuseHttpSender otlpSender(String host, int maxAttempts, boolean gzip) {
        return new LangfuseHttpSender(host, PUBLIC_KEY, SECRET_KEY, ExportFixtures.otlpFormat(),
                Duration.ofSeconds(10), maxAttempts, gzip);
    }

    private static long inSeconds(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Runs {@code action} with System.err captured, and returns what it printed. */
    private static String capturingStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void postsGzippedOtlpWithBasicAuthAndIngestionVersion() {
        List<byte[]> items = ExportFixtures.spans(3);
        otlpSender(langfuse.url(), 3, true).send(items, inSeconds(30), stats);

        List<RecordedCall> requests = langfuse.requests();
        assertEquals(1, requests.size());
        RecordedCall call = requests.get(0);
        assertEquals("POST", call.method());
        assertEquals(LangfuseStandIn.OTLP_PATH, call.path());
        String expectedAuth = "Basic " + Base64.getEncoder()
                .encodeToString((PUBLIC_KEY + ":" + SECRET_KEY).getBytes(StandardCharsets.UTF_8));
        assertEquals(expectedAuth, call.header("Authorization"));
        assertEquals("4", call.header("x-langfuse-ingestion-version"));
        assertTrue(call.header("Content-Type").startsWith("application/json"));
        assertTrue(call.gzipped());
        assertTrue(call.wireBodySize() < call.body().length, "the wire body is the compressed one");

        LangfuseSchema.load().assertValidOtlpRequest(call.bodyUtf8());
        langfuse.assertAllValid();
        assertEquals(3, langfuse.otlpSpans().size());
        assertEquals("llm openai.chat.completions", langfuse.otlpSpans().get(0).name());

        assertEquals(3, stats.sent.get());
        assertEquals(1, stats.requests.get());
        assertEquals(0, stats.retries.get());
        assertEquals(0, stats.failed.get());
    }

    @Test
    void aBatchCompressedInSeveralPiecesDecompressesToItsBody() {
        List<byte[]> items = ExportFixtures.spans(200);
        byte[] body = ExportFixtures.otlpFormat().encode(items);
        assertTrue(body.length > 3 * 64 * 1024, "the batch spans several compression pieces: " + body.length);
        otlpSender(langfuse.url(), 1, true).send(items, inSeconds(30), stats);

        RecordedCall call = langfuse.requests().get(0);
        assertTrue(call.gzipped());
        assertTrue(java.util.Arrays.equals(body, call.body()), "the decompressed request is the batch's body");
        assertEquals(200, stats.sent.get());
    }

    @Test
    void plainBodyWhenGzipIsOff() {
        otlpSender(langfuse.url(), 1, false).send(ExportFixtures.spans(2), inSeconds(30), stats);
        RecordedCall call = langfuse.requests().get(0);
        assertFalse(call.gzipped());
        assertEquals(call.wireBodySize(), call.body().length);
        langfuse.assertAllValid();
        assertEquals(2, stats.sent.get());
    }

    @Test
    void serverErrorIsRetriedAndDeliveredOnce() {
        langfuse.enqueueStatus(503);
        otlpSender(langfuse.url(), 3, true).send(ExportFixtures.spans(2), inSeconds(30), stats);

        List<RecordedCall> requests = langfuse.requests();
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).bodyUtf8(), requests.get(1).bodyUtf8(), "the same batch is sent again");
        assertEquals(2, stats.sent.get(), "counted once, on success");
        assertEquals(1, stats.retries.get());
        assertEquals(2, stats.requests.get());
        assertEquals(0, stats.failed.get());
    }

    @Test
    void droppedConnectionIsRetried() {
        langfuse.enqueueDisconnect();
        otlpSender(langfuse.url(), 3, true).send(ExportFixtures.spans(1), inSeconds(30), stats);
        assertEquals(2, langfuse.requests().size());
        assertEquals(1, stats.sent.get());
        assertEquals(1, stats.retries.get());
        assertEquals(0, stats.failed.get());
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() {
        langfuse.enqueueStatus(429, "{\"message\":\"rate limited\"}", Map.of("Retry-After", "1"));
        otlpSender(langfuse.url(), 3, true).send(ExportFixtures.spans(1), inSeconds(30), stats);

        List<RecordedCall> requests = langfuse.requests();
        assertEquals(2, requests.size());
        Duration gap = Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt());
        // A lower bound only: Retry-After: 1 means at least a second, never the 100-200 ms backoff.
        assertTrue(gap.toMillis() >= 900, "second request came after " + gap.toMillis() + " ms");
        assertEquals(1, stats.sent.get());
        assertEquals(1, stats.retries.get());
    }

    @Test
    void retryAfterBeyondTheDeadlineGivesUpInsteadOfWaiting() {
        langfuse.enqueueStatus(503, "{}", Map.of("Retry-After", "120"));
        SendOutcome outcome = otlpSender(langfuse.url(), 5, true).send(ExportFixtures.spans(2), inSeconds(20), stats);
        assertEquals(SendOutcome.UNAVAILABLE, outcome, "the batch is handed back, intact, for later");
        assertEquals(1, langfuse.requests().size());
        assertEquals(0, stats.retries.get());
        assertEquals(0, stats.failed.get(), "not failed: the caller still holds it");
        assertEquals(0, stats.sent.get());
    }

    @Test
    void unauthorizedIsFinalAndTheLogDoesNotLeakTheSecret() {
        langfuse.enqueueStatus(401, "{\"message\":\"Invalid credentials. Confirm that you've configured the"
                + " correct host.\"}", Map.of("Content-Type", "application/json"));
        SendOutcome[] outcome = new SendOutcome[1];
        String log = capturingStderr(() ->
                outcome[0] = otlpSender(langfuse.url(), 5, true).send(ExportFixtures.spans(2), inSeconds(30), stats));

        assertEquals(SendOutcome.REFUSED, outcome[0]);
        assertEquals(1, langfuse.requests().size(), "wrong keys are not retried");
        assertEquals(2, stats.failed.get());
        assertEquals(0, stats.sent.get());
        assertEquals(0, stats.retries.get());
        assertTrue(log.contains("401"), "the refusal is logged: " + log);
        assertFalse(log.contains(SECRET_KEY), log);
        assertFalse(log.contains("topsecret"), log);
        assertFalse(log.contains(Base64.getEncoder().encodeToString((PUBLIC_KEY + ":" + SECRET_KEY)
                .getBytes(StandardCharsets.UTF_8))), log);
    }

    @Test
    void badRequestIsNotRetried() {
        langfuse.enqueueStatus(400);
        otlpSender(langfuse.url(), 5, true).send(ExportFixtures.spans(3), inSeconds(30), stats);
        assertEquals(1, langfuse.requests().size());
        assertEquals(3, stats.failed.get());
        assertEquals(0, stats.retries.get());
        assertEquals(0, stats.sent.get());
    }

    @Test
    void legacyMultiStatusCountsRejectedEvents() {
        LangfuseHttpSender sender = new LangfuseHttpSender(langfuse.url(), PUBLIC_KEY, SECRET_KEY,
                ExportFixtures.ingestionFormat(), Duration.ofSeconds(10), 3, true);
        langfuse.enqueueIngestionRejections(2);
        sender.send(ExportFixtures.ingestionEvents(5), inSeconds(30), stats);

        RecordedCall call = langfuse.requests().get(0);
        assertEquals(LangfuseStandIn.INGESTION_PATH, call.path());
        LangfuseSchema.load().assertValidIngestionRequest(call.bodyUtf8());
        assertEquals(5, langfuse.ingestionEvents().size());
        assertEquals(2, stats.rejected.get());
        assertEquals(3, stats.sent.get());
        assertEquals(0, stats.failed.get());
        assertEquals(0, stats.retries.get(), "a 207 is an answer, not a failure");

        // Without rejections the stand-in's default 207 lists every event as a success.
        sender.send(ExportFixtures.ingestionEvents(4), inSeconds(30), stats);
        assertEquals(2, stats.rejected.get());
        assertEquals(7, stats.sent.get());
        langfuse.assertAllValid();
    }

    @Test
    void connectionRefusedIsUnavailableAfterMaxAttemptsWithoutThrowing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        SendOutcome[] outcome = new SendOutcome[1];
        String log = capturingStderr(() -> outcome[0] = otlpSender("http://127.0.0.1:" + closedPort, 3, true)
                .send(ExportFixtures.spans(4), inSeconds(60), stats));

        assertEquals(SendOutcome.UNAVAILABLE, outcome[0]);
        assertEquals(0, stats.failed.get());
        assertEquals(0, stats.sent.get());
        assertEquals(3, stats.requests.get());
        assertEquals(2, stats.retries.get());
        assertTrue(log.contains("after 3 attempts"), log);
        assertFalse(log.contains(SECRET_KEY), log);
    }

    @Test
    void atExitAnUnreachableServerIsTriedOnceAndNotRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        LangfuseHttpSender sender = otlpSender("http://127.0.0.1:" + closedPort, 5, true);
        sender.exiting();
        SendOutcome[] outcome = new SendOutcome[1];
        capturingStderr(() -> outcome[0] = sender.send(ExportFixtures.spans(2), inSeconds(60), stats));

        assertEquals(SendOutcome.UNAVAILABLE, outcome[0], "the caller keeps the batch (spool or count)");
        assertEquals(1, stats.requests.get());
        assertEquals(0, stats.retries.get());
    }

    @Test
    void atExitAConnectionTheReceiverClosedIsTriedAgainAtOnce() {
        // The receiver is there: it took the connections and closed them without an answer.
        langfuse.enqueueDisconnect().enqueueDisconnect();
        LangfuseHttpSender sender = otlpSender(langfuse.url(), 5, true);
        sender.exiting();
        long started = System.nanoTime();
        SendOutcome[] outcome = new SendOutcome[1];
        capturingStderr(() -> outcome[0] = sender.send(ExportFixtures.spans(2), inSeconds(60), stats));

        assertEquals(SendOutcome.DELIVERED, outcome[0]);
        assertEquals(3, stats.requests.get(), "two closed connections, then the answer");
        assertEquals(2, stats.sent.get(), "the answered request delivered both spans");
        // The pauses between attempts (100 to 400 ms before the exit) end at once when exiting.
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "no pause at exit");
    }

    @Test
    void atExitAPauseBetweenRetriesEndsAndNoFurtherAttemptIsMade() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        // 100 attempts: the retries' pauses add up to minutes, so the send can only end early
        // because the exit cut its pause short.
        LangfuseHttpSender sender = otlpSender("http://127.0.0.1:" + closedPort, 100, true);
        SendOutcome[] outcome = new SendOutcome[1];
        Thread sending = new Thread(() -> outcome[0] = sender.send(ExportFixtures.spans(2), inSeconds(600), stats));
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            sending.start();
            while (stats.retries.get() < 1) {
                Thread.sleep(5);
            }
            sender.exiting();
            sending.join(TimeUnit.SECONDS.toMillis(60));
        } finally {
            System.setErr(original);
        }
        assertFalse(sending.isAlive(), "the send returned once the exit began");
        assertEquals(SendOutcome.UNAVAILABLE, outcome[0]);
        assertTrue(stats.requests.get() <= stats.retries.get() + 1, "no retry after the failed attempt at exit");
    }
}
