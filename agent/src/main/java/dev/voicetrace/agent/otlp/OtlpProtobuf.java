package dev.voicetrace.agent.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Re-encodes OTLP/JSON spans as an OTLP/protobuf {@code ExportTraceServiceRequest}, field numbers
 * as in opentelemetry-proto's {@code trace/v1/trace.proto}, {@code common/v1/common.proto} and
 * {@code resource/v1/resource.proto}. The pipeline projects every span to JSON once; a sink that
 * speaks protobuf converts a batch here, on its exporter thread. The resource and scope are the
 * same for every batch and are encoded once.
 */
public final class OtlpProtobuf {

    // ExportTraceServiceRequest / ResourceSpans / ScopeSpans
    private static final int REQUEST_RESOURCE_SPANS = 1;
    private static final int RESOURCE_SPANS_RESOURCE = 1;
    private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
    private static final int SCOPE_SPANS_SCOPE = 1;
    private static final int SCOPE_SPANS_SPANS = 2;
    // Resource, InstrumentationScope
    private static final int RESOURCE_ATTRIBUTES = 1;
    private static final int SCOPE_NAME = 1;
    private static final int SCOPE_VERSION = 2;
    private static final int SCOPE_ATTRIBUTES = 3;
    // Span
    private static final int SPAN_TRACE_ID = 1;
    private static final int SPAN_SPAN_ID = 2;
    private static final int SPAN_TRACE_STATE = 3;
    private static final int SPAN_PARENT_SPAN_ID = 4;
    private static final int SPAN_NAME = 5;
    private static final int SPAN_KIND = 6;
    private static final int SPAN_START = 7;
    private static final int SPAN_END = 8;
    private static final int SPAN_ATTRIBUTES = 9;
    private static final int SPAN_DROPPED_ATTRIBUTES = 10;
    private static final int SPAN_EVENTS = 11;
    private static final int SPAN_LINKS = 13;
    private static final int SPAN_STATUS = 15;
    private static final int SPAN_FLAGS = 16;
    // Span.Event, Span.Link
    private static final int EVENT_TIME = 1;
    private static final int EVENT_NAME = 2;
    private static final int EVENT_ATTRIBUTES = 3;
    private static final int LINK_TRACE_ID = 1;
    private static final int LINK_SPAN_ID = 2;
    private static final int LINK_TRACE_STATE = 3;
    private static final int LINK_ATTRIBUTES = 4;
    // Status
    private static final int STATUS_MESSAGE = 2;
    private static final int STATUS_CODE = 3;
    // KeyValue, AnyValue, ArrayValue, KeyValueList
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int ANY_STRING = 1;
    private static final int ANY_BOOL = 2;
    private static final int ANY_INT = 3;
    private static final int ANY_DOUBLE = 4;
    private static final int ANY_ARRAY = 5;
    private static final int ANY_KVLIST = 6;
    private static final int ANY_BYTES = 7;
    private static final int LIST_VALUES = 1;

    private final ProtobufWriter resource;
    private final ProtobufWriter scope;

    /**
     * @param resourceSpans an OTLP/JSON {@code ResourceSpans} object whose resource and first
     *                      scope are put around every batch (its spans are ignored)
     */
    public OtlpProtobuf(JsonNode resourceSpans) {
        this.resource = new ProtobufWriter();
        attributes(resource, RESOURCE_ATTRIBUTES, resourceSpans.path("resource").path("attributes"));
        JsonNode scopeJson = resourceSpans.path("scopeSpans").path(0).path("scope");
        this.scope = new ProtobufWriter(64);
        scope.string(SCOPE_NAME, textOrNull(scopeJson, "name"));
        scope.string(SCOPE_VERSION, textOrNull(scopeJson, "version"));
        attributes(scope, SCOPE_ATTRIBUTES, scopeJson.path("attributes"));
    }

    /** The request holding these OTLP/JSON spans, each one item as queued for export. */
    public byte[] request(List<byte[]> jsonSpans) throws IOException {
        ProtobufWriter scopeSpans = new ProtobufWriter(jsonSpans.size() * 512 + 64);
        scopeSpans.message(SCOPE_SPANS_SCOPE, scope);
        for (byte[] item : jsonSpans) {
            scopeSpans.message(SCOPE_SPANS_SPANS, span(Json.read(item)));
        }
        ProtobufWriter resourceSpans = new ProtobufWriter(scopeSpans.size() + resource.size() + 16);
        resourceSpans.message(RESOURCE_SPANS_RESOURCE, resource);
        resourceSpans.message(RESOURCE_SPANS_SCOPE_SPANS, scopeSpans);
        ProtobufWriter request = new ProtobufWriter(resourceSpans.size() + 8);
        request.message(REQUEST_RESOURCE_SPANS, resourceSpans);
        return request.toByteArray();
    }

    static ProtobufWriter span(JsonNode json) throws IOException {
        if (json == null || !json.isObject()) {
            throw new IOException("an OTLP/JSON span must be an object");
        }
        ProtobufWriter span = new ProtobufWriter(1024);
        span.bytes(SPAN_TRACE_ID, hex(json, "traceId"));
        span.bytes(SPAN_SPAN_ID, hex(json, "spanId"));
        span.string(SPAN_TRACE_STATE, textOrNull(json, "traceState"));
        span.bytes(SPAN_PARENT_SPAN_ID, hex(json, "parentSpanId"));
        span.string(SPAN_NAME, textOrNull(json, "name"));
        span.varint(SPAN_KIND, json.path("kind").asLong());
        span.fixed64(SPAN_START, uint64(json.path("startTimeUnixNano")));
        span.fixed64(SPAN_END, uint64(json.path("endTimeUnixNano")));
        attributes(span, SPAN_ATTRIBUTES, json.path("attributes"));
        span.varint(SPAN_DROPPED_ATTRIBUTES, json.path("droppedAttributesCount").asLong());
        for (JsonNode eventJson : json.path("events")) {
            ProtobufWriter event = new ProtobufWriter(128);
            event.fixed64(EVENT_TIME, uint64(eventJson.path("timeUnixNano")));
            event.string(EVENT_NAME, textOrNull(eventJson, "name"));
            attributes(event, EVENT_ATTRIBUTES, eventJson.path("attributes"));
            span.message(SPAN_EVENTS, event);
        }
        for (JsonNode linkJson : json.path("links")) {
            ProtobufWriter link = new ProtobufWriter(64);
            link.bytes(LINK_TRACE_ID, hex(linkJson, "traceId"));
            link.bytes(LINK_SPAN_ID, hex(linkJson, "spanId"));
            link.string(LINK_TRACE_STATE, textOrNull(linkJson, "traceState"));
            attributes(link, LINK_ATTRIBUTES, linkJson.path("attributes"));
            span.message(SPAN_LINKS, link);
        }
        JsonNode statusJson = json.path("status");
        if (statusJson.isObject()) {
            ProtobufWriter status = new ProtobufWriter(32);
            status.string(STATUS_MESSAGE, textOrNull(statusJson, "message"));
            status.varint(STATUS_CODE, statusJson.path("code").asLong());
            span.message(SPAN_STATUS, status);
        }
        span.fixed32(SPAN_FLAGS, (int) json.path("flags").asLong());
        return span;
    }

    private static void attributes(ProtobufWriter into, int field, JsonNode attributes) {
        for (JsonNode attribute : attributes) {
            ProtobufWriter keyValue = new ProtobufWriter(64);
            keyValue.stringAlways(KEY_VALUE_KEY, attribute.path("key").asText());
            keyValue.message(KEY_VALUE_VALUE, anyValue(attribute.path("value")));
            into.message(field, keyValue);
        }
    }

    private static ProtobufWriter anyValue(JsonNode value) {
        ProtobufWriter any = new ProtobufWriter(32);
        if (value.has("stringValue")) {
            any.stringAlways(ANY_STRING, value.get("stringValue").asText());
        } else if (value.has("boolValue")) {
            any.bool(ANY_BOOL, value.get("boolValue").asBoolean());
        } else if (value.has("intValue")) {
            // OTLP/JSON allows an int64 as a number or as a decimal string.
            any.int64Always(ANY_INT, Long.parseLong(value.get("intValue").asText()));
        } else if (value.has("doubleValue")) {
            any.doubleAlways(ANY_DOUBLE, value.get("doubleValue").asDouble());
        } else if (value.has("arrayValue")) {
            ProtobufWriter array = new ProtobufWriter(64);
            for (JsonNode element : value.get("arrayValue").path("values")) {
                array.message(LIST_VALUES, anyValue(element));
            }
            any.message(ANY_ARRAY, array);
        } else if (value.has("kvlistValue")) {
            ProtobufWriter list = new ProtobufWriter(64);
            attributes(list, LIST_VALUES, value.get("kvlistValue").path("values"));
            any.message(ANY_KVLIST, list);
        } else if (value.has("bytesValue")) {
            any.bytes(ANY_BYTES, Base64.getDecoder().decode(value.get("bytesValue").asText()));
        }
        return any;
    }

    /** OTLP/JSON writes ids as lower-case hex (not base64 as protobuf's JSON mapping would). */
    private static byte[] hex(JsonNode json, String field) throws IOException {
        String text = textOrNull(json, field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() % 2 != 0) {
            throw new IOException(field + " is not hex: " + text);
        }
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int high = Character.digit(text.charAt(2 * i), 16);
            int low = Character.digit(text.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new IOException(field + " is not hex: " + text);
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return bytes;
    }

    private static long uint64(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? 0 : Long.parseUnsignedLong(value.asText());
    }

    private static String textOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
