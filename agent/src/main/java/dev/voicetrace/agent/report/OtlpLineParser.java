package dev.voicetrace.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one line of the agent's JSON-lines files with Jackson's streaming parser: either an
 * OTLP/HTTP JSON request body ({@code resourceSpans}, as the file exporter writes it) or a single
 * OTLP span (as the spool directory keeps them). Nothing but the spans' fields is kept.
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

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_DEPTH = 64;

    private OtlpLineParser() {}

    static List<ReportSpan> parse(byte[] line, int length) throws LineException {
        List<ReportSpan> spans = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(line, 0, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new LineException("not a JSON object (starts with " + describe(first) + ")", first == null);
            }
            Set<String> fields = new TreeSet<>();
            ReportSpan single = new ReportSpan();
            boolean spanFields = false;
            boolean requestBody = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if ("resourceSpans".equals(field) && value == JsonToken.START_ARRAY) {
                    requestBody = true;
                    readResourceSpans(parser, spans);
                } else if (isSpanField(field)) {
                    spanFields = true;
                    readSpanField(parser, field, value, single);
                } else {
                    fields.add(field);
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new LineException("more than one JSON value on the line", false);
            }
            if (spanFields && single.traceId != null && single.spanId != null) {
                spans.add(single);
            } else if (!requestBody) {
                throw new LineException("neither an OTLP request body (resourceSpans) nor an OTLP span"
                        + (fields.isEmpty() ? "" : " (fields: " + String.join(", ", limit(fields)) + ")")
                        + (fields.contains("batch") ? "; the legacy ingestion format is not read" : ""), false);
            }
            return spans;
        } catch (JsonProcessingException e) {
            throw new LineException(e.getOriginalMessage(), true);
        } catch (IOException e) {
            throw new LineException(String.valueOf(e.getMessage()), true);
        }
    }

    private static void readResourceSpans(JsonParser parser, List<ReportSpan> spans) throws IOException, LineException {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String serviceName = null;
            List<ReportSpan> resourceSpans = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if ("resource".equals(field) && value == JsonToken.START_OBJECT) {
                    serviceName = readServiceName(parser);
                } else if ("scopeSpans".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        readScopeSpans(parser, resourceSpans);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            for (ReportSpan span : resourceSpans) {
                span.serviceName = serviceName;
                spans.add(span);
            }
        }
        expectEnd(parser, JsonToken.END_ARRAY);
    }

    private static String readServiceName(JsonParser parser) throws IOException, LineException {
        String serviceName = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if ("attributes".equals(field) && value == JsonToken.START_ARRAY) {
                ReportSpan resource = new ReportSpan();
                readAttributes(parser, resource);
                serviceName = resource.attribute("service.name");
            } else {
                parser.skipChildren();
            }
        }
        return serviceName;
    }

    private static void readScopeSpans(JsonParser parser, List<ReportSpan> spans) throws IOException, LineException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if ("spans".equals(field) && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    ReportSpan span = new ReportSpan();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String spanField = parser.getCurrentName();
                        readSpanField(parser, spanField, parser.nextToken(), span);
                    }
                    if (span.traceId == null || span.spanId == null) {
                        throw new LineException("a span without traceId or spanId", false);
                    }
                    spans.add(span);
                }
            } else {
                parser.skipChildren();
            }
        }
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

    private static void readSpanField(JsonParser parser, String field, JsonToken value, ReportSpan span)
            throws IOException, LineException {
        switch (field) {
            case "traceId":
                span.traceId = text(parser, value);
                break;
            case "spanId":
                span.spanId = text(parser, value);
                break;
            case "parentSpanId":
                span.parentSpanId = text(parser, value);
                break;
            case "name":
                span.name = TextLimits.cut(text(parser, value), TextLimits.SHORT_TEXT);
                break;
            case "startTimeUnixNano":
                span.startNanos = nanos(parser, value);
                break;
            case "endTimeUnixNano":
                span.endNanos = nanos(parser, value);
                break;
            case "attributes":
                if (value == JsonToken.START_ARRAY) {
                    readAttributes(parser, span);
                } else {
                    parser.skipChildren();
                }
                break;
            case "status":
                if (value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String statusField = parser.getCurrentName();
                        JsonToken statusValue = parser.nextToken();
                        if ("code".equals(statusField) && statusValue == JsonToken.VALUE_NUMBER_INT) {
                            span.statusCode = parser.getIntValue();
                        } else if ("message".equals(statusField)) {
                            span.statusMessage = TextLimits.cut(text(parser, statusValue), TextLimits.SHORT_TEXT);
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
                break;
            default:
                parser.skipChildren();
        }
    }

    /** OTLP attributes: {@code [{"key": k, "value": {"stringValue": v}}, ...]}. */
    private static void readAttributes(JsonParser parser, ReportSpan span) throws IOException, LineException {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String key = null;
            String text = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if ("key".equals(field)) {
                    key = text(parser, value);
                } else if ("value".equals(field) && value == JsonToken.START_OBJECT) {
                    text = readAnyValue(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (key != null && text != null) {
                span.attributes.put(key, TextLimits.cut(text, TextLimits.ATTRIBUTE));
            }
        }
        expectEnd(parser, JsonToken.END_ARRAY);
    }

    /** An OTLP AnyValue as text; arrays and key-value lists are not written by the agent and are skipped. */
    private static String readAnyValue(JsonParser parser) throws IOException, LineException {
        String text = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String kind = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            switch (kind) {
                case "stringValue":
                case "intValue":
                case "doubleValue":
                case "boolValue":
                    text = value.isStructStart() ? null : parser.getText();
                    parser.skipChildren();
                    break;
                default:
                    parser.skipChildren();
            }
        }
        return text;
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException, LineException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == null || value.isStructStart()) {
            throw new LineException("expected a value at " + location(parser) + " but found " + describe(value), false);
        }
        return parser.getText();
    }

    private static long nanos(JsonParser parser, JsonToken value) throws IOException, LineException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        String text = text(parser, value);
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new LineException("a time that is not a number of nanoseconds: " + TextLimits.cut(text, 40), false);
        }
    }

    private static void expectEnd(JsonParser parser, JsonToken expected) throws LineException {
        if (parser.currentToken() != expected) {
            throw new LineException("unexpected " + describe(parser.currentToken()) + " at " + location(parser), false);
        }
        if (parser.getParsingContext().getNestingDepth() > MAX_DEPTH) {
            throw new LineException("nested too deeply", false);
        }
    }

    private static String location(JsonParser parser) {
        return "column " + parser.getCurrentLocation().getColumnNr();
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
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
