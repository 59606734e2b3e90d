package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A fake Langfuse API on 127.0.0.1 for tests: records every request, answers like Langfuse
 * ({@code POST /api/public/otel/v1/traces} → 200 {@code {}}; {@code POST /api/public/ingestion} →
 * 207 with one success per event; anything else → 404) unless a scripted answer is queued, and
 * decodes what it received into spans and ingestion events.
 *
 * <pre>{@code
 * try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
 *     // point the code under test at langfuse.url()
 *     List<ReceivedSpan> spans = langfuse.awaitSpans(3, Duration.ofSeconds(10));
 *     langfuse.assertAllValid();
 * }
 * }</pre>
 */
public final class LangfuseStandIn implements AutoCloseable {

    public static final String OTLP_PATH = StandInAnswers.OTLP_PATH;
    public static final String INGESTION_PATH = StandInAnswers.INGESTION_PATH;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 20;

    private final MockWebServer server = new MockWebServer();
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<ScriptedAnswer> script = new ConcurrentLinkedQueue<>();

    /** Starts the stand-in on a free port of 127.0.0.1. */
    public LangfuseStandIn() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                RecordedCall call = record(request);
                ScriptedAnswer scripted = script.poll();
                return scripted != null ? scripted.answer(call) : StandInAnswers.byDefault(call);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Langfuse stand-in", e);
        }
    }

    /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    // ---- scripted answers: each is used once, by the next request (any path), in order ----

    public LangfuseStandIn enqueueStatus(int code, String body, Map<String, String> headers) {
        script.add(ScriptedAnswer.status(code, body, headers));
        return this;
    }

    public LangfuseStandIn enqueueStatus(int code) {
        return enqueueStatus(code, "{\"message\":\"stand-in: scripted " + code + "\"}",
                Map.of("Content-Type", "application/json"));
    }

    /** The default answer, but only after {@code delay} (headers are held back). */
    public LangfuseStandIn enqueueDelay(Duration delay) {
        script.add(ScriptedAnswer.delayed(delay));
        return this;
    }

    /** A 207 listing these event ids under {@code errors} (status 400), the rest under successes. */
    public LangfuseStandIn enqueueIngestionRejections(Set<String> eventIdsToReject) {
        script.add(ScriptedAnswer.rejectIds(eventIdsToReject));
        return this;
    }

    /** A 207 rejecting the first {@code count} events of the batch. */
    public LangfuseStandIn enqueueIngestionRejections(int count) {
        script.add(ScriptedAnswer.rejectFirst(count));
        return this;
    }

    /** Records the request, then closes the connection without any answer. */
    public LangfuseStandIn enqueueDisconnect() {
        script.add(ScriptedAnswer.disconnect());
        return this;
    }

    /**
     * Records the request, then never answers: the connection stays open and silent until this
     * stand-in is closed, so only the client's timeout ends the request ("black hole").
     */
    public LangfuseStandIn enqueueBlackHole() {
        script.add(ScriptedAnswer.blackHole());
        return this;
    }

    /** Scripted answers not yet used. */
    public int pendingScriptedAnswers() {
        return script.size();
    }

    // ---- what arrived ----

    /** Snapshot of every request so far, in arrival order. */
    public List<RecordedCall> requests() {
        return List.copyOf(calls);
    }

    /** Snapshot of requests to one path. */
    public List<RecordedCall> requests(String path) {
        List<RecordedCall> matching = new ArrayList<>();
        for (RecordedCall call : calls) {
            if (call.path().equals(path)) {
                matching.add(call);
            }
        }
        return matching;
    }

    /**
     * Every span of every OTLP/JSON request so far. Requests that are not JSON (e.g. protobuf) are
     * skipped here; {@link #validateAll()} reports them.
     */
    public List<ReceivedSpan> otlpSpans() {
        List<ReceivedSpan> spans = new ArrayList<>();
        for (RecordedCall call : postsTo(OTLP_PATH)) {
            JsonNode tree = parseOrNull(call);
            if (tree != null) {
                spans.addAll(OtlpJsonFlattener.flatten(tree, call.sequence()));
            }
        }
        return spans;
    }

    /** Every event of every legacy ingestion batch so far. */
    public List<JsonNode> ingestionEvents() {
        List<JsonNode> events = new ArrayList<>();
        for (RecordedCall call : postsTo(INGESTION_PATH)) {
            JsonNode tree = parseOrNull(call);
            if (tree != null) {
                tree.path("batch").forEach(events::add);
            }
        }
        return events;
    }

    /** Waits until at least {@code count} spans arrived; AssertionError listing what did otherwise. */
    public List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
        return await(this::otlpSpans, count, timeout, "OTLP spans");
    }

    /** Waits until at least {@code count} ingestion events arrived. */
    public List<JsonNode> awaitIngestionEvents(int count, Duration timeout) {
        return await(this::ingestionEvents, count, timeout, "ingestion events");
    }

    /** Waits until at least {@code count} requests (any path) arrived. */
    public List<RecordedCall> awaitRequests(int count, Duration timeout) {
        return await(this::requests, count, timeout, "requests");
    }

    // ---- validation ----

    /**
     * Validates every OTLP and ingestion request body so far against Langfuse's OpenAPI spec;
     * one line per error, prefixed with the request, empty when all are valid.
     */
    public List<String> validateAll() {
        LangfuseSchema schema = LangfuseSchema.load();
        List<String> errors = new ArrayList<>();
        for (RecordedCall call : calls) {
            boolean otlp = call.isPost(OTLP_PATH);
            if (!otlp && !call.isPost(INGESTION_PATH)) {
                continue;
            }
            String contentType = String.valueOf(call.header("Content-Type"));
            if (!contentType.contains("json")) {
                errors.add(call + ": Content-Type " + contentType + " is not JSON; only JSON bodies can be validated");
                continue;
            }
            String body = call.bodyUtf8();
            List<String> found = otlp ? schema.validateOtlpRequest(body) : schema.validateIngestionRequest(body);
            found.forEach(error -> errors.add(call + ": " + error));
            found = numbersOf(call, otlp);
            found.forEach(error -> errors.add(call + ": " + error));
        }
        LangfuseNumbers.checkTurnTotals(otlpSpans()).forEach(errors::add);
        return errors;
    }

    /** What {@link LangfuseNumbers} finds wrong with the usage, cost and trace names of one request. */
    private static List<String> numbersOf(RecordedCall call, boolean otlp) {
        List<String> errors = new ArrayList<>();
        JsonNode tree = parseOrNull(call);
        if (tree == null) {
            return errors;
        }
        if (otlp) {
            for (ReceivedSpan span : OtlpJsonFlattener.flatten(tree, call.sequence())) {
                errors.addAll(LangfuseNumbers.checkSpan(span));
            }
        } else {
            for (JsonNode event : tree.path("batch")) {
                errors.addAll(LangfuseNumbers.checkIngestionEvent(event));
            }
        }
        return errors;
    }

    /** Throws AssertionError listing every error of {@link #validateAll()}. */
    public void assertAllValid() {
        List<String> errors = validateAll();
        if (!errors.isEmpty()) {
            throw new AssertionError("Requests to the Langfuse stand-in do not match Langfuse's openapi.yml"
                    + " or would show wrong numbers in Langfuse ("
                    + errors.size() + " error(s)):\n  " + String.join("\n  ", errors));
        }
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- internals ----

    private RecordedCall record(RecordedRequest request) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().names().forEach(name ->
                headers.put(name, String.join(", ", request.getHeaders().values(name))));
        byte[] wire = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        String encoding = headers.getOrDefault("Content-Encoding", "");
        byte[] body = encoding.toLowerCase().contains("gzip") ? gunzip(wire) : wire;
        String path = request.getUrl().encodedPath();
        String query = request.getUrl().encodedQuery();
        synchronized (calls) { // sequence numbers follow list order even with parallel connections
            RecordedCall call = new RecordedCall(calls.size(), request.getMethod(), path, query, headers,
                    body, wire.length, Instant.now());
            calls.add(call);
            return call;
        }
    }

    private static byte[] gunzip(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            // Keep the raw bytes: the test then sees garbage JSON and a validation error, not a hang.
            return gzipped;
        }
    }

    private List<RecordedCall> postsTo(String path) {
        List<RecordedCall> matching = new ArrayList<>();
        for (RecordedCall call : calls) {
            if (call.isPost(path)) {
                matching.add(call);
            }
        }
        return matching;
    }

    private static JsonNode parseOrNull(RecordedCall call) {
        try {
            return JSON.readTree(call.body());
        } catch (IOException e) {
            return null;
        }
    }

    private <T> List<T> await(Supplier<List<T>> current, int count, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> seen = current.get();
        while (seen.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
            seen = current.get();
        }
        if (seen.size() < count) {
            throw new AssertionError("Expected at least " + count + " " + what + " within " + timeout
                    + " but got " + seen.size() + ": " + seen + "; requests: " + requests());
        }
        return seen;
    }
}
