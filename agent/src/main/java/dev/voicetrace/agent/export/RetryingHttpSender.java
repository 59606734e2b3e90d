package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Posts each batch in one HTTP request (gzip optional) and retries what a later attempt can fix:
 * no answer at all (refused, reset, timed out) and the statuses its receiver names as retryable,
 * with exponential backoff and full jitter, honouring Retry-After. Once the JVM exits, a receiver
 * that does not answer is not retried and a backoff pause ends, so the application's exit does not
 * wait for it; one that answered (429, 5xx) gets the pause it asked for. The receiver (Langfuse, an
 * OTLP endpoint) says how a batch is encoded, which headers go with it and what its answers mean.
 */
public abstract class RetryingHttpSender implements BatchSender {

    private static final long BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    protected final URI uri;
    private final ExportHttpClient client;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final boolean gzip;
    /**
     * Set when the JVM exits: an unreachable receiver is not retried, and a pause before retrying
     * one, or one that dropped the connection, ends.
     */
    private volatile boolean exiting;
    private final Object backoffPause = new Object();

    protected RetryingHttpSender(URI uri, Duration requestTimeout, int maxAttempts, boolean gzip) {
        this.uri = uri;
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.gzip = gzip;
        this.client = new ExportHttpClient(requestTimeout);
    }

    /** The batch's request body, before compression. */
    protected abstract byte[] encode(List<byte[]> items) throws IOException;

    /** The headers every request carries, beside {@code Content-Encoding}. */
    protected abstract void addHeaders(HttpRequest.Builder request);

    /** Whether an answer with this (non-2xx) status is worth another attempt. */
    protected abstract boolean retryable(int status);

    /** A 2xx answer: counts the items delivered and any the receiver rejected one by one. */
    protected abstract void delivered(HttpResponse<byte[]> response, int itemCount, ExportStats stats);

    /** A final answer that is neither 2xx nor retryable: says so once; the items are counted failed. */
    protected abstract void refused(int status, String body, int itemCount);

    /** What the items are called in log lines ({@code observations}, {@code spans}). */
    protected abstract String itemNoun();

    @Override
    public final SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
        byte[] body;
        try {
            body = compressed(encode(items));
        } catch (IOException | RuntimeException e) {
            stats.failed.addAndGet(items.size());
            AgentLog.warnOnce("encode:" + name(), name() + ": a batch could not be encoded and is dropped: " + e);
            return SendOutcome.REFUSED;
        }
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(body, items.size(), deadlineNanos, stats);
            if (outcome.result != null) {
                return outcome.result;
            }
            if (exiting && outcome.unreachable) {
                // The shutdown line counts these; no line of its own as the JVM exits.
                return SendOutcome.UNAVAILABLE;
            }
            long backoff = outcome.retryAfterNanos > 0 ? outcome.retryAfterNanos : backoff(attempt);
            if (attempt >= maxAttempts || System.nanoTime() + backoff > deadlineNanos) {
                AgentLog.warnOnce("unavailable:" + name() + ':' + outcome.reason, "could not deliver " + items.size()
                        + " " + itemNoun() + " to " + uri + " after " + attempt + " attempts (" + outcome.reason
                        + "); they are kept and sent again later");
                return SendOutcome.UNAVAILABLE;
            }
            stats.retries.incrementAndGet();
            pause(backoff, outcome.unreachable || outcome.dropped);
        }
    }

    /** Once the exporter has stopped: the HTTP client's thread must not hold up the JVM's exit. */
    @Override
    public void close() {
        client.close();
    }

    /** The HTTP client built so far, or null before the first request (for tests). */
    HttpClient builtClient() {
        return client.built();
    }

    @Override
    public final void exiting() {
        exiting = true;
        synchronized (backoffPause) {
            backoffPause.notifyAll();
        }
    }

    /** One attempt: a final result, or none and why to try again. */
    private static final class Attempt {
        final SendOutcome result;
        final long retryAfterNanos;
        final String reason;
        /** No answer at all: the receiver is down or unreachable. */
        final boolean unreachable;
        /** The receiver took the connection and closed it without an answer. */
        final boolean dropped;

        Attempt(SendOutcome result, long retryAfterNanos, String reason, boolean unreachable) {
            this(result, retryAfterNanos, reason, unreachable, false);
        }

        Attempt(SendOutcome result, long retryAfterNanos, String reason, boolean unreachable, boolean dropped) {
            this.result = result;
            this.retryAfterNanos = retryAfterNanos;
            this.reason = reason;
            this.unreachable = unreachable;
            this.dropped = dropped;
        }

        static Attempt done(SendOutcome result) {
            return new Attempt(result, 0, null, false);
        }
    }

    private Attempt attempt(byte[] body, int itemCount, long deadlineNanos, ExportStats stats) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return new Attempt(null, 0, "no time left", true);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(Math.min(requestTimeout.toNanos(), remaining)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response;
        try {
            addHeaders(request);
            if (gzip) {
                request.header("Content-Encoding", "gzip");
            }
            stats.requests.incrementAndGet();
            response = client.get().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // Nothing listening, or no answer in time: the receiver is down or unreachable, and
            // the JVM's exit does not wait for it. A connection the receiver took and then closed
            // says it is there: at exit that is tried again at once, within the attempts and the
            // shutdown time (a connection reset by a proxy, a receiver restarting).
            boolean absent = receiverAbsent(e);
            return new Attempt(null, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    absent, !absent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, 0, "interrupted", false);
        } catch (IllegalArgumentException e) {
            // A header the HTTP client refuses (a restricted name such as Host): no retry helps.
            stats.failed.addAndGet(itemCount);
            AgentLog.warnOnce("request:" + name(), name() + ": the request cannot be made (" + e.getMessage()
                    + "); check the headers configured for it");
            return Attempt.done(SendOutcome.REFUSED);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            delivered(response, itemCount, stats);
            return Attempt.done(SendOutcome.DELIVERED);
        }
        if (retryable(status)) {
            return new Attempt(null, retryAfterNanos(response), "HTTP " + status, false);
        }
        stats.failed.addAndGet(itemCount);
        refused(status, new String(response.body(), StandardCharsets.UTF_8), itemCount);
        return Attempt.done(SendOutcome.REFUSED);
    }

    /** Whether the failure says nothing answers there: refused, no route, unknown host, or no answer in time. */
    private static boolean receiverAbsent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.NoRouteToHostException
                    || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private byte[] compressed(byte[] body) throws IOException {
        if (!gzip) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 8 + 64);
        try (GZIPOutputStream zip = new FastGzip(out)) {
            for (int from = 0; from < body.length; from += COMPRESS_CHUNK) {
                zip.write(body, from, Math.min(COMPRESS_CHUNK, body.length - from));
                // A megabyte takes a core for some 2 ms: in pieces, with the application's
                // runnable threads let in between, it does not hold one while they wait.
                Thread.yield();
            }
        }
        return out.toByteArray();
    }

    /** How much of a batch is compressed before the exporter's thread lets others run. */
    private static final int COMPRESS_CHUNK = 64 * 1024;

    /**
     * Gzip at the fastest level: it takes half the CPU of the default level for a batch of spans
     * (2.1 against 4.2 ms for a megabyte on the development machine) and the body is still a
     * fifteenth of its size, so the application's machine pays less for a little more network.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(java.io.OutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
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
        // Full jitter: spread the retries of many agents hitting one recovering receiver.
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    /** Waits between retries; when {@code endsAtExit}, ends early once the JVM starts exiting. */
    private void pause(long nanos, boolean endsAtExit) {
        long until = System.nanoTime() + nanos;
        synchronized (backoffPause) {
            while (!(endsAtExit && exiting)) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(backoffPause, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A receiver's answer shortened for a log line. */
    protected static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
