package dev.voicetrace.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.config.OptionReader;
import dev.voicetrace.agent.export.ExportStats;
import dev.voicetrace.agent.export.SendOutcome;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.standin.LangfuseSchema;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP sender against a loopback OTLP/HTTP receiver, in both encodings. */
class OtlpHttpSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "otlp-token-9f8e7d6c5b4a";
    private static final String RESOURCE_SPANS = "{\"resource\":{\"attributes\":["
            + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"gateway\"}}]},"
            + "\"scopeSpans\":[{\"scope\":{\"name\":\"voicetrace\",\"version\":\"0.1.0\"},\"spans\":[]}]}";
    private static final String SPAN = "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"b7ad6b7169203331\",\"name\":\"llm openai.chat.completions\",\"kind\":3,"
            + "\"startTimeUnixNano\":\"1733400000000000000\",\"endTimeUnixNano\":\"1733400000500000000\","
            + "\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":12}}],"
            + "\"status\":{\"code\":1}}";

    private final MockWebServer receiver = new MockWebServer();
    private final ExportStats stats = new ExportStats();

    @BeforeEach
    void start() throws IOException {
        receiver.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private OtlpHttpSender sender(String protocol, boolean gzip, int maxAttempts) throws IOException {
        Properties properties = new Properties();
        // A base endpoint: /v1/traces is appended.
        properties.setProperty("voicetrace.otlp.endpoint", "http://127.0.0.1:" + receiver.getPort() + "/");
        properties.setProperty("voicetrace.otlp.headers", "Authorization=Bearer%20" + TOKEN + ",x-tenant=voice");
        properties.setProperty("voicetrace.otlp.protocol", protocol);
        OptionReader reader = new OptionReader(new ConfigSource(properties, Map.of()));
        OtlpOptions options = new OtlpOptions(new ConfigSource(properties, Map.of()), reader);
        assertTrue(reader.warnings().isEmpty(), reader.warnings()::toString);
        JsonNode resourceSpans = JSON.readTree(RESOURCE_SPANS);
        int spans = RESOURCE_SPANS.indexOf("\"spans\":[]") + "\"spans\":[".length();
        WireFormat json = WireFormat.around("", "{\"resourceSpans\":[" + RESOURCE_SPANS.substring(0, spans),
                RESOURCE_SPANS.substring(spans) + "]}");
        return new OtlpHttpSender(options, json, resourceSpans, Duration.ofSeconds(5), maxAttempts, gzip);
    }

    private static long inSeconds(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    private static byte[] body(RecordedRequest request) throws IOException {
        byte[] wire = request.getBody().toByteArray();
        if (!"gzip".equals(request.getHeaders().get("Content-Encoding"))) {
            return wire;
        }
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(wire))) {
            return in.readAllBytes();
        }
    }

    @Test
    void protobufRequestsParseWithOpenTelemetrysClassesAndCarryTheHeaders() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/x-protobuf")
                .body(new Buffer().write(ExportTraceServiceResponse.getDefaultInstance().toByteArray())).build());
        SendOutcome outcome = sender("http/protobuf", true, 3)
                .send(List.of(SPAN.getBytes(StandardCharsets.UTF_8)), inSeconds(10), stats);
        assertEquals(SendOutcome.DELIVERED, outcome);
        assertEquals(1, stats.sent.get());

        RecordedRequest request = receiver.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/traces", request.getUrl().encodedPath());
        assertEquals("application/x-protobuf", request.getHeaders().get("Content-Type"));
        assertEquals("Bearer " + TOKEN, request.getHeaders().get("Authorization"), "percent-decoded value");
        assertEquals("voice", request.getHeaders().get("x-tenant"));
        ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(body(request));
        OtlpJsonAssertions.assertSameSpan(JSON.readTree(SPAN),
                parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0));
        assertEquals("gateway", parsed.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue());
    }

    @Test
    void jsonRequestsAreValidOtlpJson() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{}").build());
        SendOutcome outcome = sender("http/json", false, 3)
                .send(List.of(SPAN.getBytes(StandardCharsets.UTF_8)), inSeconds(10), stats);
        assertEquals(SendOutcome.DELIVERED, outcome);
        RecordedRequest request = receiver.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("application/json", request.getHeaders().get("Content-Type"));
        String body = new String(body(request), StandardCharsets.UTF_8);
        LangfuseSchema.load().assertValidOtlpRequest(body);
        assertEquals("llm openai.chat.completions", JSON.readTree(body).at("/resourceSpans/0/scopeSpans/0/spans/0/name")
                .asText());
    }

    @Test
    void unavailableAnswersAreRetriedAndPartialSuccessCountsRejections() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(503).build());
        receiver.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/x-protobuf")
                .body(new Buffer().write(ExportTraceServiceResponse.newBuilder().setPartialSuccess(
                        ExportTracePartialSuccess.newBuilder().setRejectedSpans(1).setErrorMessage("too old"))
                        .build().toByteArray())).build());
        byte[] span = SPAN.getBytes(StandardCharsets.UTF_8);
        String log = capturingStderr(() -> assertEquals(SendOutcome.DELIVERED,
                uncheckedSender("http/protobuf").send(List.of(span, span), inSeconds(20), stats)));
        assertEquals(2, receiver.getRequestCount());
        assertEquals(1, stats.retries.get());
        assertEquals(1, stats.sent.get());
        assertEquals(1, stats.rejected.get());
        assertTrue(log.contains("OTLP endpoint http://127.0.0.1:" + receiver.getPort() + "/v1/traces rejected 1 of 2"),
                log);
        assertFalse(log.contains(TOKEN), "header values are never logged: " + log);
    }

    @Test
    void refusedRequestsAreFinalAndNameTheSinkWithoutItsSecrets() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(401).body("bad token").build());
        String log = capturingStderr(() -> assertEquals(SendOutcome.REFUSED, uncheckedSender("http/json")
                .send(List.of(SPAN.getBytes(StandardCharsets.UTF_8)), inSeconds(10), stats)));
        assertEquals(1, receiver.getRequestCount());
        assertEquals(1, stats.failed.get());
        assertTrue(log.contains("OTLP endpoint http://127.0.0.1:" + receiver.getPort() + "/v1/traces answered HTTP 401"),
                log);
        assertTrue(log.contains("voicetrace.otlp.headers"), log);
        assertFalse(log.contains(TOKEN), log);
    }

    private OtlpHttpSender uncheckedSender(String protocol) {
        try {
            return sender(protocol, true, 3);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void atExitAnEndpointThatDoesNotAnswerIsNotRetried() throws Exception {
        OtlpHttpSender sender = sender("http/protobuf", false, 5);
        receiver.close(); // nothing listens on its port any more
        sender.exiting();
        ExportStats stats = new ExportStats();
        SendOutcome[] outcome = new SendOutcome[1];
        capturingStderr(() -> outcome[0] = sender.send(List.of(SPAN.getBytes(StandardCharsets.UTF_8)),
                inSeconds(60), stats));
        assertEquals(SendOutcome.UNAVAILABLE, outcome[0], "the caller keeps the batch (spool or count)");
        assertEquals(1, stats.requests.get());
        assertEquals(0, stats.retries.get());
    }

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
}
