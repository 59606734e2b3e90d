package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OTLP/JSON {@code ExportTraceServiceRequest} into {@link ReceivedSpan}s. Lenient on
 * purpose: it decodes what is there (ids, int64 as number or string, status code as number or
 * enum name) and leaves judging the shape to {@link LangfuseSchema}.
 */
final class OtlpJsonFlattener {

    private OtlpJsonFlattener() {
    }

    static List<ReceivedSpan> flatten(JsonNode request, int requestSequence) {
        List<ReceivedSpan> spans = new ArrayList<>();
        for (JsonNode resourceSpans : request.path("resourceSpans")) {
            Map<String, Object> resource = attributes(resourceSpans.path("resource").path("attributes"));
            for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                JsonNode scope = scopeSpans.path("scope");
                for (JsonNode span : scopeSpans.path("spans")) {
                    ReceivedSpan.Builder b = new ReceivedSpan.Builder();
                    b.traceId = text(span.get("traceId"));
                    b.spanId = text(span.get("spanId"));
                    String parent = text(span.get("parentSpanId"));
                    b.parentSpanId = parent == null || parent.isEmpty() ? null : parent;
                    b.name = text(span.get("name"));
                    b.kind = span.hasNonNull("kind") ? span.get("kind").asInt() : null;
                    b.startTimeUnixNano = int64(span.get("startTimeUnixNano"));
                    b.endTimeUnixNano = int64(span.get("endTimeUnixNano"));
                    b.attributes = attributes(span.path("attributes"));
                    b.statusCode = statusCode(span.path("status").get("code"));
                    b.statusMessage = text(span.path("status").get("message"));
                    b.resourceAttributes = resource;
                    b.scopeName = text(scope.get("name"));
                    b.scopeVersion = text(scope.get("version"));
                    b.requestSequence = requestSequence;
                    spans.add(b.build());
                }
            }
        }
        return spans;
    }

    static Map<String, Object> attributes(JsonNode keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode keyValue : keyValues) {
            out.put(keyValue.path("key").asText(), anyValue(keyValue.path("value")));
        }
        return out;
    }

    /** Decodes an OTLP {@code AnyValue}; null when no known field is set. */
    static Object anyValue(JsonNode value) {
        if (value.hasNonNull("stringValue")) {
            return value.get("stringValue").asText();
        }
        if (value.hasNonNull("intValue")) {
            return int64(value.get("intValue"));
        }
        if (value.hasNonNull("doubleValue")) {
            JsonNode d = value.get("doubleValue");
            return d.isNumber() ? d.doubleValue() : Double.valueOf(d.asText());
        }
        if (value.hasNonNull("boolValue")) {
            return value.get("boolValue").asBoolean();
        }
        if (value.hasNonNull("arrayValue")) {
            List<Object> items = new ArrayList<>();
            value.get("arrayValue").path("values").forEach(item -> items.add(anyValue(item)));
            return Collections.unmodifiableList(items);
        }
        if (value.hasNonNull("kvlistValue")) {
            return Collections.unmodifiableMap(attributes(value.get("kvlistValue").path("values")));
        }
        if (value.hasNonNull("bytesValue")) {
            return value.get("bytesValue").asText();
        }
        return null;
    }

    /** OTLP/JSON int64 fields may be JSON numbers or decimal strings; absent means 0. */
    static long int64(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0L;
        }
        return node.isNumber() ? node.longValue() : Long.parseLong(node.asText().trim());
    }

    private static int statusCode(JsonNode code) {
        if (code == null || code.isNull()) {
            return 0;
        }
        if (code.isNumber()) {
            return code.intValue();
        }
        switch (code.asText()) {
            case "STATUS_CODE_OK":
                return 1;
            case "STATUS_CODE_ERROR":
                return 2;
            case "STATUS_CODE_UNSET":
                return 0;
            default:
                return Integer.parseInt(code.asText());
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
