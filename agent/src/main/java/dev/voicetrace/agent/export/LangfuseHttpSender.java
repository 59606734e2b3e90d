package dev.voicetrace.agent.export;

import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Posts batches to Langfuse with basic auth (public key, secret key), gzip, and retries with
 * exponential backoff and jitter on I/O errors, timeouts, 408, 429 (honouring Retry-After) and 5xx.
 * Other 4xx answers are final. The secret key is only ever in the Authorization header.
 */
public final class LangfuseHttpSender implements BatchSender {

    @Override
    public String name() {
        return "Langfuse";
    }

    private static final long BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final HttpClient client;
    private final URI uri;
    private final WireFormat format;
    private final String authorization;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final boolean gzip;

    public LangfuseHttpSender(String host, String publicKey, String secretKey, WireFormat format,
                              Duration requestTimeout, int maxAttempts, boolean gzip) {
        this.uri = URI.create(host + format.path());
        this.format = format;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((publicKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.gzip = gzip;
        this.client = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .build();
    }

    @Override
    public SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
        byte[] body;
        try {
            body = requestBody(format.encode(items));
        } catch (IOException e) {
            stats.failed.addAndGet(items.size());
            return SendOutcome.REFUSED;
        }
        for (int attempt = 1; ; attempt++) {
            Outcome outcome = attempt(body, items.size(), deadlineNanos, stats);
            if (outcome.result != null) {
                return outcome.result;
            }
            long backoff = outcome.retryAfterNanos > 0 ? outcome.retryAfterNanos : backoff(attempt);
            if (attempt >= maxAttempts || System.nanoTime() + backoff > deadlineNanos) {
                AgentLog.warnOnce("unavailable:" + outcome.reason, "could not deliver " + items.size()
                        + " observations to " + uri + " after " + attempt + " attempts (" + outcome.reason
                        + "); they are kept and sent again later");
                return SendOutcome.UNAVAILABLE;
            }
            stats.retries.incrementAndGet();
            sleep(backoff);
        }
    }

    /** One attempt: a final result, or null with the reason to try again. */
    private static final class Outcome {
        final SendOutcome result;
        final long retryAfterNanos;
        final String reason;

        Outcome(SendOutcome result, long retryAfterNanos, String reason) {
            this.result = result;
            this.retryAfterNanos = retryAfterNanos;
            this.reason = reason;
        }
    }

    private Outcome attempt(byte[] body, int itemCount, long deadlineNanos, ExportStats stats) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return new Outcome(null, 0, "no time left");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(Math.min(requestTimeout.toNanos(), remaining)))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("x-langfuse-ingestion-version", "4")
                .header("x-langfuse-sdk-name", "voicetrace-java-agent")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        stats.requests.incrementAndGet();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Outcome(null, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, 0, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            int rejected = status == 207 ? countRejections(response.body()) : 0;
            stats.sent.addAndGet(itemCount - rejected);
            stats.rejected.addAndGet(rejected);
            return new Outcome(SendOutcome.DELIVERED, 0, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome(null, retryAfterNanos(response), "HTTP " + status);
        }
        stats.failed.addAndGet(itemCount);
        if (status == 401 || status == 403) {
            AgentLog.warnOnce("langfuse-auth", "Langfuse refused the API keys (HTTP " + status + ") at " + uri
                    + ": check langfuse.public.key / langfuse.secret.key (LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY)"
                    + " and the host; observations are not delivered");
        } else {
            AgentLog.warnOnce("langfuse-status-" + status, "Langfuse answered HTTP " + status + " at " + uri
                    + "; " + itemCount + " observations dropped: " + abbreviate(response.body()));
        }
        return new Outcome(SendOutcome.REFUSED, 0, null);
    }

    /** Reads the per-event errors of a legacy 207 answer and logs each distinct message once. */
    private int countRejections(String body) {
        try {
            JsonNode errors = Json.read(body).path("errors");
            for (JsonNode error : errors) {
                JsonNode detail = error.path("error");
                String message = error.path("message").asText(detail.isMissingNode() ? "" : Json.write(detail));
                AgentLog.warnOnce("langfuse-207:" + error.path("status").asText() + ':' + message,
                        "Langfuse rejected an event (status " + error.path("status").asText() + "): " + message);
            }
            return errors.size();
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("langfuse-207-unreadable", "Langfuse answered 207 with an unreadable body: "
                    + abbreviate(body));
            return 0;
        }
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
        // Full jitter: spread the retries of many agents hitting one recovering server.
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private byte[] requestBody(byte[] json) throws IOException {
        if (!gzip) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(json);
        }
        return out.toByteArray();
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
