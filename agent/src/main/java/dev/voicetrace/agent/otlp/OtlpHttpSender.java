package dev.voicetrace.agent.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.export.BatchSender;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.export.SendOutcome;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Posts batches of spans to any OTLP/HTTP receiver (an OpenTelemetry Collector, an APM's OTLP
 * endpoint) as OTLP/JSON or OTLP/protobuf, with the configured headers and gzip. As the OTLP
 * specification asks, 429, 502, 503 and 504 (and 408) are retried with exponential backoff and
 * jitter, honouring Retry-After; other answers are final. A partial success (spans the receiver
 * rejected) is counted as rejected. Header values are only ever put on the request.
 */
public final class OtlpHttpSender implements BatchSender {

    private static final long BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final HttpClient client;
    private final URI uri;
    private final Map<String, String> headers;
    private final OtlpOptions.Protocol protocol;
    private final WireFormat json;
    private final OtlpProtobuf protobuf;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final boolean gzip;
    private final String sinkName;

    /**
     * @param json          the OTLP/JSON envelope around a batch's spans (its path is not used: the
     *                      spans go to the configured endpoint)
     * @param resourceSpans the same envelope's {@code ResourceSpans}, for the protobuf encoding
     */
    public OtlpHttpSender(OtlpOptions options, WireFormat json, JsonNode resourceSpans, Duration requestTimeout,
                          int maxAttempts, boolean gzip) {
        this.uri = options.tracesUrl;
        this.headers = options.headers;
        this.protocol = options.protocol;
        this.json = json;
        this.protobuf = protocol == OtlpOptions.Protocol.HTTP_PROTOBUF ? new OtlpProtobuf(resourceSpans) : null;
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.gzip = gzip;
        this.sinkName = "OTLP endpoint " + uri;
        this.client = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** The exporter's lines say {@code OTLP endpoint http://collector:4318/v1/traces}. */
    @Override
    public String name() {
        return sinkName;
    }

    @Override
    public SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
        byte[] body;
        try {
            body = compressed(protobuf != null ? protobuf.request(items) : json.encode(items));
        } catch (IOException | RuntimeException e) {
            stats.failed.addAndGet(items.size());
            AgentLog.warnOnce("otlp-encode", sinkName + ": a batch could not be encoded and is dropped: " + e);
            return SendOutcome.REFUSED;
        }
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(body, items.size(), deadlineNanos, stats);
            if (outcome.result != null) {
                return outcome.result;
            }
            long backoff = outcome.retryAfterNanos > 0 ? outcome.retryAfterNanos : backoff(attempt);
            if (attempt >= maxAttempts || System.nanoTime() + backoff > deadlineNanos) {
                AgentLog.warnOnce("otlp-unavailable:" + outcome.reason, "could not deliver " + items.size()
                        + " spans to the " + sinkName + " after " + attempt + " attempts (" + outcome.reason
                        + "); they are kept and sent again later");
                return SendOutcome.UNAVAILABLE;
            }
            stats.retries.incrementAndGet();
            sleep(backoff);
        }
    }

    /** One attempt: a final result, or none and why it should be tried again. */
    private static final class Attempt {
        final SendOutcome result;
        final long retryAfterNanos;
        final String reason;

        Attempt(SendOutcome result, long retryAfterNanos, String reason) {
            this.result = result;
            this.retryAfterNanos = retryAfterNanos;
            this.reason = reason;
        }
    }

    private Attempt attempt(byte[] body, int itemCount, long deadlineNanos, ExportStats stats) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return new Attempt(null, 0, "no time left");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(Math.min(requestTimeout.toNanos(), remaining)))
                .header("Content-Type", protocol.contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        stats.requests.incrementAndGet();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Attempt(null, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, 0, "interrupted");
        } catch (IllegalArgumentException e) {
            // A header the HTTP client refuses (a restricted name such as Host): no retry helps.
            stats.failed.addAndGet(itemCount);
            AgentLog.warnOnce("otlp-request", sinkName + ": the request cannot be made (" + e.getMessage()
                    + "); check voicetrace.otlp.headers");
            return new Attempt(SendOutcome.REFUSED, 0, null);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            PartialSuccess partial = PartialSuccess.read(response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
            long rejected = Math.min(itemCount, Math.max(0, partial.rejectedSpans));
            if (rejected > 0 || !partial.errorMessage.isEmpty()) {
                AgentLog.warnOnce("otlp-partial:" + partial.errorMessage, sinkName + " rejected " + rejected
                        + " of " + itemCount + " spans: " + abbreviate(partial.errorMessage));
            }
            stats.sent.addAndGet(itemCount - rejected);
            stats.rejected.addAndGet(rejected);
            return new Attempt(SendOutcome.DELIVERED, 0, null);
        }
        if (status == 408 || status == 429 || status == 502 || status == 503 || status == 504) {
            return new Attempt(null, retryAfterNanos(response), "HTTP " + status);
        }
        stats.failed.addAndGet(itemCount);
        AgentLog.warnOnce("otlp-status-" + status, sinkName + " answered HTTP " + status + "; " + itemCount
                + " spans dropped" + (status == 401 || status == 403 ? " (check voicetrace.otlp.headers)" : "")
                + ": " + abbreviate(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
        return new Attempt(SendOutcome.REFUSED, 0, null);
    }

    private byte[] compressed(byte[] body) throws IOException {
        if (!gzip) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    private static long retryAfterNanos(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return TimeUnit.SECONDS.toNanos(Math.min(Math.max(seconds, 0), 300));
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    private static long backoff(int attempt) {
        long exponential = Math.min(MAX_BACKOFF_NANOS, BASE_BACKOFF_NANOS << Math.min(attempt - 1, 16));
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The {@code partial_success} of an {@code ExportTraceServiceResponse}, in either encoding. */
    static final class PartialSuccess {
        static final PartialSuccess NONE = new PartialSuccess(0, "");

        final long rejectedSpans;
        final String errorMessage;

        PartialSuccess(long rejectedSpans, String errorMessage) {
            this.rejectedSpans = rejectedSpans;
            this.errorMessage = errorMessage;
        }

        static PartialSuccess read(byte[] body, String contentType) {
            if (body == null || body.length == 0) {
                return NONE;
            }
            try {
                if (contentType.toLowerCase(java.util.Locale.ROOT).contains("protobuf")) {
                    return fromProtobuf(body);
                }
                JsonNode partial = Json.read(body).path("partialSuccess");
                return new PartialSuccess(partial.path("rejectedSpans").asLong(0),
                        partial.path("errorMessage").asText(""));
            } catch (IOException | RuntimeException e) {
                // An answer that says nothing readable about rejections: the batch was accepted.
                return NONE;
            }
        }

        /** Field 1 (partial_success) holds field 1 (rejected_spans, int64) and 2 (error_message). */
        private static PartialSuccess fromProtobuf(byte[] body) {
            ProtobufReader response = new ProtobufReader(body, 0, body.length);
            long rejected = 0;
            String message = "";
            while (response.next()) {
                if (response.field() == 1 && response.wireType() == ProtobufReader.LENGTH_DELIMITED) {
                    ProtobufReader partial = response.message();
                    while (partial.next()) {
                        if (partial.field() == 1 && partial.wireType() == ProtobufReader.VARINT) {
                            rejected = partial.varint();
                        } else if (partial.field() == 2 && partial.wireType() == ProtobufReader.LENGTH_DELIMITED) {
                            message = partial.string();
                        } else {
                            partial.skip();
                        }
                    }
                } else {
                    response.skip();
                }
            }
            return new PartialSuccess(rejected, message);
        }
    }
}
