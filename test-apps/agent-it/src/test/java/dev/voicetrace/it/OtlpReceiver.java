package dev.voicetrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseSchema;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A local OTLP/HTTP trace receiver, as an OpenTelemetry Collector's {@code otlphttp} receiver
 * answers: it takes {@code POST /v1/traces} as protobuf (parsed with OpenTelemetry's own classes)
 * or JSON (checked against the OTLP request schema), and answers with an empty
 * {@code ExportTraceServiceResponse} in the request's encoding.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as received, with attribute values as Java values (String, Long, Double, Boolean, List). */
    static final class Received {
        final String contentType;
        final Map<String, String> headers;
        final String traceId;
        final String spanId;
        final String name;
        final Map<String, Object> attributes;
        final Map<String, Object> resource;

        Received(String contentType, Map<String, String> headers, String traceId, String spanId, String name,
                 Map<String, Object> attributes, Map<String, Object> resource) {
            this.contentType = contentType;
            this.headers = headers;
            this.traceId = traceId;
            this.spanId = spanId;
            this.name = name;
            this.attributes = attributes;
            this.resource = resource;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return receive(request);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base endpoint, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} would be given. */
    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    List<Received> awaitSpans(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spans.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return new ArrayList<>(spans);
    }

    List<String> problems() {
        return problems;
    }

    List<String> paths() {
        return paths;
    }

    private MockResponse receive(RecordedRequest request) {
        paths.add(request.getMethod() + " " + request.getUrl().encodedPath());
        String contentType = String.valueOf(request.getHeaders().get("Content-Type"));
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().names().forEach(name -> headers.put(name.toLowerCase(), request.getHeaders().get(name)));
        try {
            byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
            if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            if (contentType.startsWith("application/x-protobuf")) {
                fromProtobuf(ExportTraceServiceRequest.parseFrom(body), contentType, headers);
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/x-protobuf")
                        .body(new Buffer().write(ExportTraceServiceResponse.getDefaultInstance().toByteArray()))
                        .build();
            }
            if (contentType.startsWith("application/json")) {
                String text = new String(body, StandardCharsets.UTF_8);
                LangfuseSchema.load().assertValidOtlpRequest(text);
                fromJson(JSON.readTree(text), contentType, headers);
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                        .body("{}").build();
            }
            problems.add("unsupported content type " + contentType);
            return new MockResponse.Builder().code(415).build();
        } catch (IOException | RuntimeException | AssertionError e) {
            problems.add("unreadable request: " + e);
            return new MockResponse.Builder().code(400).body(String.valueOf(e)).build();
        }
    }

    private void fromProtobuf(ExportTraceServiceRequest request, String contentType, Map<String, String> headers) {
        if (!request.getUnknownFields().asMap().isEmpty()) {
            problems.add("fields unknown to the OTLP schema: " + request.getUnknownFields());
        }
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new Received(contentType, headers, hex(span.getTraceId().toByteArray()),
                            hex(span.getSpanId().toByteArray()), span.getName(),
                            attributes(span.getAttributesList()), resource));
                }
            }
        }
    }

    private void fromJson(JsonNode request, String contentType, Map<String, String> headers) {
        for (JsonNode resourceSpans : request.path("resourceSpans")) {
            Map<String, Object> resource = attributes(resourceSpans.at("/resource/attributes"));
            for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                for (JsonNode span : scopeSpans.path("spans")) {
                    spans.add(new Received(contentType, headers, span.path("traceId").asText(),
                            span.path("spanId").asText(), span.path("name").asText(),
                            attributes(span.path("attributes")), resource));
                }
            }
        }
    }

    private static Map<String, Object> attributes(List<KeyValue> keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        keyValues.forEach(keyValue -> out.put(keyValue.getKey(), value(keyValue.getValue())));
        return Collections.unmodifiableMap(out);
    }

    private static Object value(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return value.getStringValue();
            case INT_VALUE: return value.getIntValue();
            case DOUBLE_VALUE: return value.getDoubleValue();
            case BOOL_VALUE: return value.getBoolValue();
            case ARRAY_VALUE: {
                List<Object> items = new ArrayList<>();
                value.getArrayValue().getValuesList().forEach(item -> items.add(value(item)));
                return items;
            }
            default: return "unexpected " + value.getValueCase();
        }
    }

    private static Map<String, Object> attributes(JsonNode keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        keyValues.forEach(keyValue -> out.put(keyValue.path("key").asText(), value(keyValue.path("value"))));
        return Collections.unmodifiableMap(out);
    }

    private static Object value(JsonNode value) {
        if (value.has("stringValue")) {
            return value.get("stringValue").asText();
        }
        if (value.has("intValue")) {
            return Long.parseLong(value.get("intValue").asText());
        }
        if (value.has("doubleValue")) {
            return value.get("doubleValue").asDouble();
        }
        if (value.has("boolValue")) {
            return value.get("boolValue").asBoolean();
        }
        if (value.has("arrayValue")) {
            List<Object> items = new ArrayList<>();
            value.at("/arrayValue/values").forEach(item -> items.add(value(item)));
            return items;
        }
        return "unexpected " + value;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.close();
    }
}
