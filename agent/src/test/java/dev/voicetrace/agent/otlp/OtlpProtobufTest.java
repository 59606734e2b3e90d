package dev.voicetrace.agent.otlp;

import static dev.voicetrace.agent.otlp.OtlpJsonAssertions.assertSameAttributes;
import static dev.voicetrace.agent.otlp.OtlpJsonAssertions.assertSameSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written OTLP/protobuf encoding, parsed back by OpenTelemetry's own protobuf classes. */
class OtlpProtobufTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RESOURCE_SPANS = "{\"resource\":{\"attributes\":["
            + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"gateway\"}},"
            + "{\"key\":\"process.pid\",\"value\":{\"intValue\":\"4242\"}}]},"
            + "\"scopeSpans\":[{\"scope\":{\"name\":\"voicetrace\",\"version\":\"0.1.0\"},\"spans\":[]}]}";

    /** Every field and value kind OTLP/JSON can hold, with the edge values protobuf encodes specially. */
    private static final String EVERY_KIND_OF_FIELD = "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"b7ad6b7169203331\",\"parentSpanId\":\"00f067aa0ba902b7\",\"traceState\":\"vt=1\","
            + "\"name\":\"llm openai.chat.completions ✓ 日本\",\"kind\":3,"
            + "\"startTimeUnixNano\":\"1733400000123456789\",\"endTimeUnixNano\":\"18446744073709551615\","
            + "\"attributes\":["
            + "{\"key\":\"empty\",\"value\":{\"stringValue\":\"\"}},"
            + "{\"key\":\"zero\",\"value\":{\"intValue\":0}},"
            + "{\"key\":\"negative\",\"value\":{\"intValue\":\"-7\"}},"
            + "{\"key\":\"big\",\"value\":{\"intValue\":\"9223372036854775807\"}},"
            + "{\"key\":\"double zero\",\"value\":{\"doubleValue\":0.0}},"
            + "{\"key\":\"temperature\",\"value\":{\"doubleValue\":0.7}},"
            + "{\"key\":\"false\",\"value\":{\"boolValue\":false}},"
            + "{\"key\":\"true\",\"value\":{\"boolValue\":true}},"
            + "{\"key\":\"gen_ai.response.finish_reasons\",\"value\":{\"arrayValue\":{\"values\":["
            + "{\"stringValue\":\"stop\"},{\"intValue\":\"3\"}]}}},"
            + "{\"key\":\"map\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"stringValue\":\"b\"}}]}}},"
            + "{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AAEC/w==\"}},"
            + "{\"key\":\"long text\",\"value\":{\"stringValue\":\"" + "é".repeat(300) + "\"}}],"
            + "\"droppedAttributesCount\":2,"
            + "\"events\":[{\"timeUnixNano\":\"1733400000200000000\",\"name\":\"first token\","
            + "\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":1}}]}],"
            + "\"links\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\","
            + "\"attributes\":[{\"key\":\"linked_by\",\"value\":{\"stringValue\":\"text\"}}]}],"
            + "\"flags\":257,"
            + "\"status\":{\"code\":2,\"message\":\"429: rate limited\"}}";

    private static final String ROOT_SPAN = "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"00f067aa0ba902b7\",\"name\":\"voice-turn\",\"kind\":1,"
            + "\"startTimeUnixNano\":\"1733400000000000000\",\"endTimeUnixNano\":\"1733400002000000000\","
            + "\"attributes\":[],\"status\":{\"code\":1}}";

    @Test
    void everyKindOfFieldReadsBackAsWritten() throws IOException {
        OtlpProtobuf encoder = new OtlpProtobuf(JSON.readTree(RESOURCE_SPANS));
        byte[] body = encoder.request(List.of(bytes(EVERY_KIND_OF_FIELD), bytes(ROOT_SPAN)));

        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
        assertEquals(1, request.getResourceSpansCount());
        ResourceSpans resourceSpans = request.getResourceSpans(0);
        assertSameAttributes(JSON.readTree(RESOURCE_SPANS).at("/resource/attributes"),
                resourceSpans.getResource().getAttributesList(), "resource");
        assertEquals(1, resourceSpans.getScopeSpansCount());
        ScopeSpans scopeSpans = resourceSpans.getScopeSpans(0);
        assertEquals("voicetrace", scopeSpans.getScope().getName());
        assertEquals("0.1.0", scopeSpans.getScope().getVersion());
        assertEquals(2, scopeSpans.getSpansCount());
        assertSameSpan(JSON.readTree(EVERY_KIND_OF_FIELD), scopeSpans.getSpans(0));
        assertSameSpan(JSON.readTree(ROOT_SPAN), scopeSpans.getSpans(1));
        // Nothing unknown to OpenTelemetry's schema was written.
        assertEquals(0, request.getUnknownFields().asMap().size());
        assertEquals(0, scopeSpans.getSpans(0).getUnknownFields().asMap().size());
    }

    @Test
    void anEmptyBatchIsAValidRequestWithTheResourceAndScope() throws IOException {
        byte[] body = new OtlpProtobuf(JSON.readTree(RESOURCE_SPANS)).request(List.of());
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
        assertEquals("gateway", request.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue());
        assertEquals(0, request.getResourceSpans(0).getScopeSpans(0).getSpansCount());
    }

    @Test
    void malformedIdsAreRefusedRatherThanSentWrong() throws IOException {
        OtlpProtobuf encoder = new OtlpProtobuf(JSON.readTree(RESOURCE_SPANS));
        String oddHex = ROOT_SPAN.replace("00f067aa0ba902b7", "00f067aa0ba902b");
        assertThrows(IOException.class, () -> encoder.request(List.of(bytes(oddHex))));
        String notHex = ROOT_SPAN.replace("00f067aa0ba902b7", "00f067aa0ba902zz");
        assertThrows(IOException.class, () -> encoder.request(List.of(bytes(notHex))));
    }

    @Test
    void partialSuccessIsReadFromBothEncodings() {
        byte[] protobuf = ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess
                .newBuilder().setRejectedSpans(3).setErrorMessage("span too large")).build().toByteArray();
        OtlpHttpSender.PartialSuccess fromProtobuf = OtlpHttpSender.PartialSuccess.read(protobuf,
                "application/x-protobuf");
        assertEquals(3, fromProtobuf.rejectedSpans);
        assertEquals("span too large", fromProtobuf.errorMessage);

        OtlpHttpSender.PartialSuccess fromJson = OtlpHttpSender.PartialSuccess.read(
                bytes("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"bad attribute\"}}"),
                "application/json");
        assertEquals(2, fromJson.rejectedSpans);
        assertEquals("bad attribute", fromJson.errorMessage);

        // A full success: an empty message in either encoding.
        byte[] empty = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        assertEquals(0, OtlpHttpSender.PartialSuccess.read(empty, "application/x-protobuf").rejectedSpans);
        assertEquals(0, OtlpHttpSender.PartialSuccess.read(bytes("{}"), "application/json").rejectedSpans);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }
}
