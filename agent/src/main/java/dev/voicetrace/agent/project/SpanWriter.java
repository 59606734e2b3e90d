package dev.voicetrace.agent.project;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one OTLP/JSON span directly as bytes: ids, name, kind and times, then attributes one by
 * one, then the status. It builds no JSON tree, since a span is projected for every call.
 */
final class SpanWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);
    private final JsonGenerator json;

    SpanWriter(String traceId, String spanId, String parentSpanId, String name, int kind, long start, long end) {
        try {
            json = FACTORY.createGenerator(buffer);
            json.writeStartObject();
            json.writeStringField("traceId", traceId);
            json.writeStringField("spanId", spanId);
            if (parentSpanId != null) {
                json.writeStringField("parentSpanId", parentSpanId);
            }
            json.writeStringField("name", name);
            json.writeNumberField("kind", kind);
            // OTLP/JSON writes 64-bit integers as decimal strings.
            json.writeStringField("startTimeUnixNano", Long.toString(start));
            json.writeStringField("endTimeUnixNano", Long.toString(Math.max(start, end)));
            json.writeArrayFieldStart("attributes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string attribute; a null value is left out, as OTLP has no null. */
    void attribute(String key, String value) {
        if (value == null) {
            return;
        }
        try {
            startAttribute(key);
            json.writeStringField("stringValue", value);
            endAttribute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An integer attribute, as a JSON number: Langfuse's schema types {@code intValue} as integer. */
    void attribute(String key, long value) {
        try {
            startAttribute(key);
            json.writeNumberField("intValue", value);
            endAttribute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void attribute(String key, double value) {
        try {
            startAttribute(key);
            json.writeNumberField("doubleValue", value);
            endAttribute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the attributes and writes the status: the span's bytes. */
    byte[] finish(int statusCode, String statusMessage) {
        try {
            json.writeEndArray();
            json.writeObjectFieldStart("status");
            json.writeNumberField("code", statusCode);
            if (statusMessage != null) {
                json.writeStringField("message", statusMessage);
            }
            json.writeEndObject();
            json.writeEndObject();
            json.close();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startAttribute(String key) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", key);
        json.writeObjectFieldStart("value");
    }

    private void endAttribute() throws IOException {
        json.writeEndObject();
        json.writeEndObject();
    }
}
