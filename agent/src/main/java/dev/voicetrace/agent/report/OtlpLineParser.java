package dev.voicetrace.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one line of the agent's JSON-lines files: either an OTLP/HTTP JSON request body
 * ({@code resourceSpans}, as the file exporter writes it) or a single OTLP span (as the spool
 * directory keeps them). Nothing but the spans' fields is kept.
 *
 * <p>A line is read into a tree by the agent's own reader, so that writing the report at exit
 * loads no JSON parser the agent has not loaded already (Jackson's streaming parser was some fifty
 * classes and two megabytes allocated, in the exit of every application with the file exporter).
 * A line is one batch, a megabyte by default; its tree lives only while the line is read.
 */
final class OtlpLineParser {

    /** Why a line could not be read. */
    static final class LineException extends Exception {
        final boolean notJson;

        LineException(String message, boolean notJson) {
            super(message);
            this.notJson = notJson;
        }
    }

    private OtlpLineParser() {}

    static List<ReportSpan> parse(byte[] line, int length) throws LineException {
        JsonNode root;
        try {
            root = Json.read(line, 0, length);
        } catch (IOException e) {
            throw new LineException(String.valueOf(e.getMessage()), true);
        }
        if (root == null || !root.isObject()) {
            throw new LineException("not a JSON object (starts with " + describe(root) + ")", root == null);
        }
        List<ReportSpan> spans = new ArrayList<>();
        Set<String> fields = new TreeSet<>();
        ReportSpan single = new ReportSpan();
        boolean spanFields = false;
        boolean requestBody = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if ("resourceSpans".equals(name) && value.isArray()) {
                requestBody = true;
                readResourceSpans(value, spans);
            } else if (isSpanField(name)) {
                spanFields = true;
                readSpanField(name, value, single);
            } else {
                fields.add(name);
            }
        }
        if (spanFields && single.traceId != null && single.spanId != null) {
            spans.add(single);
        } else if (!requestBody) {
            throw new LineException("neither an OTLP request body (resourceSpans) nor an OTLP span"
                    + (fields.isEmpty() ? "" : " (fields: " + String.join(", ", limit(fields)) + ")")
                    + (fields.contains("batch") ? "; the legacy ingestion format is not read" : ""), false);
        }
        return spans;
    }

    private static void readResourceSpans(JsonNode resourceSpans, List<ReportSpan> spans) throws LineException {
        for (JsonNode resource : resourceSpans) {
            if (!resource.isObject()) {
                throw new LineException("unexpected " + describe(resource) + " in resourceSpans", false);
            }
            String serviceName = serviceName(resource.get("resource"));
            JsonNode scopeSpans = resource.get("scopeSpans");
            if (scopeSpans == null || !scopeSpans.isArray()) {
                continue;
            }
            for (JsonNode scope : scopeSpans) {
                JsonNode scopeSpanList = scope.get("spans");
                if (scopeSpanList == null || !scopeSpanList.isArray()) {
                    continue;
                }
                for (JsonNode spanObject : scopeSpanList) {
                    if (!spanObject.isObject()) {
                        throw new LineException("unexpected " + describe(spanObject) + " in spans", false);
                    }
                    ReportSpan span = new ReportSpan();
                    for (Iterator<Map.Entry<String, JsonNode>> it = spanObject.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        readSpanField(field.getKey(), field.getValue(), span);
                    }
                    if (span.traceId == null || span.spanId == null) {
                        throw new LineException("a span without traceId or spanId", false);
                    }
                    span.serviceName = serviceName;
                    spans.add(span);
                }
            }
        }
    }

    private static String serviceName(JsonNode resource) throws LineException {
        if (resource == null || !resource.isObject()) {
            return null;
        }
        JsonNode attributes = resource.get("attributes");
        if (attributes == null || !attributes.isArray()) {
            return null;
        }
        ReportSpan holder = new ReportSpan();
        readAttributes(attributes, holder);
        return holder.attribute("service.name");
    }

    private static boolean isSpanField(String field) {
        switch (field) {
            case "traceId":
            case "spanId":
            case "parentSpanId":
            case "name":
            case "startTimeUnixNano":
            case "endTimeUnixNano":
            case "attributes":
            case "status":
            case "kind":
            case "events":
            case "links":
            case "flags":
            case "traceState":
                return true;
            default:
                return false;
        }
    }

    private static void readSpanField(String field, JsonNode value, ReportSpan span) throws LineException {
        switch (field) {
            case "traceId":
                span.traceId = text(field, value);
                break;
            case "spanId":
                span.spanId = text(field, value);
                break;
            case "parentSpanId":
                span.parentSpanId = text(field, value);
                break;
            case "name":
                span.name = TextLimits.cut(text(field, value), TextLimits.SHORT_TEXT);
                break;
            case "startTimeUnixNano":
                span.startNanos = nanos(field, value);
                break;
            case "endTimeUnixNano":
                span.endNanos = nanos(field, value);
                break;
            case "attributes":
                if (value.isArray()) {
                    readAttributes(value, span);
                }
                break;
            case "status":
                if (value.isObject()) {
                    JsonNode code = value.get("code");
                    if (code != null && code.isIntegralNumber()) {
                        span.statusCode = code.intValue();
                    }
                    JsonNode message = value.get("message");
                    if (message != null) {
                        span.statusMessage = TextLimits.cut(text("status message", message), TextLimits.SHORT_TEXT);
                    }
                }
                break;
            default:
                // kind, events, links and the rest: not shown
        }
    }

    /** OTLP attributes: {@code [{"key": k, "value": {"stringValue": v}}, ...]}. */
    private static void readAttributes(JsonNode attributes, ReportSpan span) throws LineException {
        for (JsonNode attribute : attributes) {
            if (!attribute.isObject()) {
                throw new LineException("unexpected " + describe(attribute) + " in attributes", false);
            }
            String key = text("attribute key", attribute.get("key"));
            JsonNode value = attribute.get("value");
            String text = value != null && value.isObject() ? anyValueText(value) : null;
            if (key != null && text != null) {
                span.attributes.put(key, TextLimits.cut(text, TextLimits.ATTRIBUTE));
            }
        }
    }

    /** An OTLP AnyValue as text; arrays and key-value lists are not written by the agent and are skipped. */
    private static String anyValueText(JsonNode value) {
        String text = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kind = it.next();
            switch (kind.getKey()) {
                case "stringValue":
                case "intValue":
                case "doubleValue":
                case "boolValue":
                    JsonNode scalar = kind.getValue();
                    text = scalar.isContainerNode() || scalar.isNull() ? null : scalar.asText();
                    break;
                default:
                    // arrayValue, kvlistValue, bytesValue
            }
        }
        return text;
    }

    /** A value's text; null for a missing value or JSON null. */
    private static String text(String field, JsonNode value) throws LineException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new LineException("expected a value for " + field + " but found " + describe(value), false);
        }
        return value.asText();
    }

    private static long nanos(String field, JsonNode value) throws LineException {
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        String text = text(field, value);
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new LineException("a time that is not a number of nanoseconds: " + TextLimits.cut(text, 40), false);
        }
    }

    private static String describe(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        return value.asText();
    }

    private static List<String> limit(Set<String> fields) {
        List<String> names = new ArrayList<>();
        for (String field : fields) {
            if (names.size() == 5) {
                names.add("...");
                break;
            }
            names.add(TextLimits.cut(field, 40));
        }
        return names;
    }
}
