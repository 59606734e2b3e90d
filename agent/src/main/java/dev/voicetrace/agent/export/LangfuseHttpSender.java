package dev.voicetrace.agent.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Posts batches to Langfuse with basic auth (public key, secret key). I/O errors, timeouts, 408,
 * 429 and 5xx are retried; other 4xx answers are final, and a legacy 207 counts the events it
 * rejected. The secret key is only ever in the Authorization header.
 */
public final class LangfuseHttpSender extends RetryingHttpSender {

    private final WireFormat format;
    private final String authorization;

    public LangfuseHttpSender(String host, String publicKey, String secretKey, WireFormat format,
                              Duration requestTimeout, int maxAttempts, boolean gzip) {
        super(URI.create(host + format.path()), requestTimeout, maxAttempts, gzip);
        this.format = format;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((publicKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "Langfuse";
    }

    @Override
    protected String itemNoun() {
        return "observations";
    }

    @Override
    protected byte[] encode(List<byte[]> items) throws IOException {
        return format.encode(items);
    }

    @Override
    protected void addHeaders(HttpRequest.Builder request) {
        request.header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("x-langfuse-ingestion-version", "4")
                .header("x-langfuse-sdk-name", "voicetrace-java-agent");
    }

    @Override
    protected boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    @Override
    protected void delivered(HttpResponse<byte[]> response, int itemCount, ExportStats stats) {
        int rejected = response.statusCode() == 207
                ? countRejections(new String(response.body(), StandardCharsets.UTF_8)) : 0;
        stats.sent.addAndGet(itemCount - rejected);
        stats.rejected.addAndGet(rejected);
    }

    @Override
    protected void refused(int status, String body, int itemCount) {
        if (status == 401 || status == 403) {
            AgentLog.warnOnce("langfuse-auth", "Langfuse refused the API keys (HTTP " + status + ") at " + uri
                    + ": check langfuse.public.key / langfuse.secret.key (LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY)"
                    + " and the host; observations are not delivered");
        } else {
            AgentLog.warnOnce("langfuse-status-" + status, "Langfuse answered HTTP " + status + " at " + uri
                    + "; " + itemCount + " observations dropped: " + abbreviate(body));
        }
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
}
