package dev.voicetrace.agent.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.export.RetryingHttpSender;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Posts batches of spans to any OTLP/HTTP receiver (an OpenTelemetry Collector, an APM's OTLP
 * endpoint) as OTLP/JSON or OTLP/protobuf, with the configured headers. As the OTLP specification
 * asks, 429, 502, 503 and 504 (and 408) are retried; other answers are final. A partial success
 * (spans the receiver rejected) is counted as rejected. Header values are only ever put on the
 * request.
 */
public final class OtlpHttpSender extends RetryingHttpSender {

    private final Map<String, String> headers;
    private final OtlpOptions.Protocol protocol;
    private final WireFormat json;
    private final OtlpProtobuf protobuf;
    private final String sinkName;

    /**
     * @param json          the OTLP/JSON envelope around a batch's spans (its path is not used: the
     *                      spans go to the configured endpoint)
     * @param resourceSpans the same envelope's {@code ResourceSpans}, for the protobuf encoding
     */
    public OtlpHttpSender(OtlpOptions options, WireFormat json, JsonNode resourceSpans, Duration requestTimeout,
                          int maxAttempts, boolean gzip) {
        super(options.tracesUrl, requestTimeout, maxAttempts, gzip);
        this.headers = options.headers;
        this.protocol = options.protocol;
        this.json = json;
        this.protobuf = protocol == OtlpOptions.Protocol.HTTP_PROTOBUF ? new OtlpProtobuf(resourceSpans) : null;
        this.sinkName = "OTLP endpoint " + uri;
    }

    /** The exporter's lines say {@code OTLP endpoint http://collector:4318/v1/traces}. */
    @Override
    public String name() {
        return sinkName;
    }

    @Override
    protected String itemNoun() {
        return "spans";
    }

    @Override
    protected byte[] encode(List<byte[]> items) throws IOException {
        return protobuf != null ? protobuf.request(items) : json.encode(items);
    }

    @Override
    protected void addHeaders(HttpRequest.Builder request) {
        request.header("Content-Type", protocol.contentType);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
    }

    @Override
    protected boolean retryable(int status) {
        return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
    }

    @Override
    protected void delivered(HttpResponse<byte[]> response, int itemCount, ExportStats stats) {
        PartialSuccess partial = PartialSuccess.read(response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
        long rejected = Math.min(itemCount, Math.max(0, partial.rejectedSpans));
        if (rejected > 0 || !partial.errorMessage.isEmpty()) {
            AgentLog.warnOnce("otlp-partial:" + partial.errorMessage, sinkName + " rejected " + rejected
                    + " of " + itemCount + " spans: " + abbreviate(partial.errorMessage));
        }
        stats.sent.addAndGet(itemCount - rejected);
        stats.rejected.addAndGet(rejected);
    }

    @Override
    protected void refused(int status, String body, int itemCount) {
        AgentLog.warnOnce("otlp-status-" + status, sinkName + " answered HTTP " + status + "; " + itemCount
                + " spans dropped" + (status == 401 || status == 403 ? " (check voicetrace.otlp.headers)" : "")
                + ": " + abbreviate(body));
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
