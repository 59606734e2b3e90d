package dev.voicetrace.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Compares an OTLP/JSON span, field by field, with the span OpenTelemetry's own protobuf classes
 * parsed from the agent's protobuf encoding of it: both encodings must say the same thing.
 */
public final class OtlpJsonAssertions {

    private OtlpJsonAssertions() {}

    public static void assertSameSpan(JsonNode json, Span proto) {
        String where = "span " + json.path("name").asText();
        assertArrayEquals(hex(json.path("traceId").asText()), proto.getTraceId().toByteArray(), where + " traceId");
        assertArrayEquals(hex(json.path("spanId").asText()), proto.getSpanId().toByteArray(), where + " spanId");
        assertArrayEquals(hex(json.path("parentSpanId").asText("")), proto.getParentSpanId().toByteArray(),
                where + " parentSpanId");
        assertEquals(json.path("traceState").asText(""), proto.getTraceState(), where + " traceState");
        assertEquals(json.path("name").asText(), proto.getName(), where + " name");
        assertEquals(json.path("kind").asInt(), proto.getKindValue(), where + " kind");
        assertEquals(Long.parseUnsignedLong(json.path("startTimeUnixNano").asText("0")), proto.getStartTimeUnixNano(),
                where + " start");
        assertEquals(Long.parseUnsignedLong(json.path("endTimeUnixNano").asText("0")), proto.getEndTimeUnixNano(),
                where + " end");
        assertSameAttributes(json.path("attributes"), proto.getAttributesList(), where);
        assertEquals(json.path("droppedAttributesCount").asInt(), proto.getDroppedAttributesCount());
        assertEquals(json.path("events").size(), proto.getEventsCount(), where + " events");
        for (int i = 0; i < proto.getEventsCount(); i++) {
            JsonNode event = json.path("events").get(i);
            assertEquals(Long.parseUnsignedLong(event.path("timeUnixNano").asText("0")),
                    proto.getEvents(i).getTimeUnixNano());
            assertEquals(event.path("name").asText(), proto.getEvents(i).getName());
            assertSameAttributes(event.path("attributes"), proto.getEvents(i).getAttributesList(), where + " event");
        }
        assertEquals(json.path("links").size(), proto.getLinksCount(), where + " links");
        for (int i = 0; i < proto.getLinksCount(); i++) {
            JsonNode link = json.path("links").get(i);
            assertArrayEquals(hex(link.path("traceId").asText()), proto.getLinks(i).getTraceId().toByteArray());
            assertArrayEquals(hex(link.path("spanId").asText()), proto.getLinks(i).getSpanId().toByteArray());
            assertSameAttributes(link.path("attributes"), proto.getLinks(i).getAttributesList(), where + " link");
        }
        assertEquals(json.path("flags").asInt(), proto.getFlags(), where + " flags");
        assertEquals(json.path("status").path("code").asInt(), proto.getStatus().getCodeValue(), where + " status");
        assertEquals(json.path("status").path("message").asText(""), proto.getStatus().getMessage(),
                where + " status message");
    }

    public static void assertSameAttributes(JsonNode json, List<KeyValue> proto, String where) {
        assertEquals(json.size(), proto.size(), where + " attribute count");
        for (int i = 0; i < proto.size(); i++) {
            String key = json.get(i).path("key").asText();
            assertEquals(key, proto.get(i).getKey(), where + " attribute " + i);
            assertSameValue(json.get(i).path("value"), proto.get(i).getValue(), where + " " + key);
        }
    }

    static void assertSameValue(JsonNode json, AnyValue proto, String where) {
        if (json.has("stringValue")) {
            assertEquals(AnyValue.ValueCase.STRING_VALUE, proto.getValueCase(), where);
            assertEquals(json.get("stringValue").asText(), proto.getStringValue(), where);
        } else if (json.has("intValue")) {
            assertEquals(AnyValue.ValueCase.INT_VALUE, proto.getValueCase(), where);
            assertEquals(Long.parseLong(json.get("intValue").asText()), proto.getIntValue(), where);
        } else if (json.has("doubleValue")) {
            assertEquals(AnyValue.ValueCase.DOUBLE_VALUE, proto.getValueCase(), where);
            assertEquals(json.get("doubleValue").asDouble(), proto.getDoubleValue(), 0.0, where);
        } else if (json.has("boolValue")) {
            assertEquals(AnyValue.ValueCase.BOOL_VALUE, proto.getValueCase(), where);
            assertEquals(json.get("boolValue").asBoolean(), proto.getBoolValue(), where);
        } else if (json.has("arrayValue")) {
            assertEquals(AnyValue.ValueCase.ARRAY_VALUE, proto.getValueCase(), where);
            JsonNode values = json.get("arrayValue").path("values");
            assertEquals(values.size(), proto.getArrayValue().getValuesCount(), where);
            for (int i = 0; i < values.size(); i++) {
                assertSameValue(values.get(i), proto.getArrayValue().getValues(i), where + "[" + i + "]");
            }
        } else if (json.has("kvlistValue")) {
            assertEquals(AnyValue.ValueCase.KVLIST_VALUE, proto.getValueCase(), where);
            assertSameAttributes(json.get("kvlistValue").path("values"), proto.getKvlistValue().getValuesList(), where);
        } else if (json.has("bytesValue")) {
            assertEquals(AnyValue.ValueCase.BYTES_VALUE, proto.getValueCase(), where);
            assertArrayEquals(Base64.getDecoder().decode(json.get("bytesValue").asText()),
                    proto.getBytesValue().toByteArray(), where);
        } else {
            fail(where + ": unexpected value " + json);
        }
        assertFalse(proto.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET, where);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }
}
