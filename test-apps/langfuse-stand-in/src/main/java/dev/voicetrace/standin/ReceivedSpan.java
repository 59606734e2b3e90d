package dev.voicetrace.standin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One span decoded from an OTLP/JSON request, flattened with its resource and scope. Immutable. */
public final class ReceivedSpan {
    private final String traceId;
    private final String spanId;
    private final String parentSpanId;
    private final String name;
    private final Integer kind;
    private final long startTimeUnixNano;
    private final long endTimeUnixNano;
    private final Map<String, Object> attributes;
    private final int statusCode;
    private final String statusMessage;
    private final Map<String, Object> resourceAttributes;
    private final String scopeName;
    private final String scopeVersion;
    private final int requestSequence;

    ReceivedSpan(Builder b) {
        this.traceId = b.traceId;
        this.spanId = b.spanId;
        this.parentSpanId = b.parentSpanId;
        this.name = b.name;
        this.kind = b.kind;
        this.startTimeUnixNano = b.startTimeUnixNano;
        this.endTimeUnixNano = b.endTimeUnixNano;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.statusCode = b.statusCode;
        this.statusMessage = b.statusMessage;
        this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.resourceAttributes));
        this.scopeName = b.scopeName;
        this.scopeVersion = b.scopeVersion;
        this.requestSequence = b.requestSequence;
    }

    /** Hex trace id as sent. */
    public String traceId() {
        return traceId;
    }

    public String spanId() {
        return spanId;
    }

    /** Null for a root span (absent or empty in the request). */
    public String parentSpanId() {
        return parentSpanId;
    }

    public boolean isRoot() {
        return parentSpanId == null;
    }

    public String name() {
        return name;
    }

    /** OTLP span kind number (1=INTERNAL ... 5=CONSUMER), or null when absent. */
    public Integer kind() {
        return kind;
    }

    public long startTimeUnixNano() {
        return startTimeUnixNano;
    }

    public long endTimeUnixNano() {
        return endTimeUnixNano;
    }

    /**
     * Span attributes: stringValue as String, intValue as Long, doubleValue as Double, boolValue as
     * Boolean, arrayValue as List, kvlistValue as Map, bytesValue as its base64 String.
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    public Object attribute(String key) {
        return attributes.get(key);
    }

    /** 0 = UNSET, 1 = OK, 2 = ERROR (numeric or {@code STATUS_CODE_*} names are both accepted). */
    public int statusCode() {
        return statusCode;
    }

    /** Null when absent. */
    public String statusMessage() {
        return statusMessage;
    }

    public Map<String, Object> resourceAttributes() {
        return resourceAttributes;
    }

    public String scopeName() {
        return scopeName;
    }

    public String scopeVersion() {
        return scopeVersion;
    }

    /** {@link RecordedCall#sequence()} of the request that carried this span. */
    public int requestSequence() {
        return requestSequence;
    }

    @Override
    public String toString() {
        return "span '" + name + "' trace=" + traceId + " span=" + spanId
                + (parentSpanId == null ? " (root)" : " parent=" + parentSpanId)
                + " status=" + statusCode + " attributes=" + attributes;
    }

    static final class Builder {
        String traceId;
        String spanId;
        String parentSpanId;
        String name;
        Integer kind;
        long startTimeUnixNano;
        long endTimeUnixNano;
        Map<String, Object> attributes = Map.of();
        int statusCode;
        String statusMessage;
        Map<String, Object> resourceAttributes = Map.of();
        String scopeName;
        String scopeVersion;
        int requestSequence;

        ReceivedSpan build() {
            return new ReceivedSpan(this);
        }
    }
}
