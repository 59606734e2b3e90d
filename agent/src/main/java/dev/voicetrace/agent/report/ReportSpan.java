package dev.voicetrace.agent.report;

import java.util.HashMap;
import java.util.Map;

/**
 * One OTLP span as the report needs it: ids, name, times, status and its attributes as text
 * (string values as they are, numbers and booleans written out). Long texts are cut when read,
 * so a span costs the report a few kilobytes at most whatever the call carried.
 */
final class ReportSpan {

    String traceId;
    String spanId;
    String parentSpanId;
    String name;
    long startNanos;
    long endNanos;
    /** OTLP status code: 0 unset, 1 ok, 2 error. */
    int statusCode;
    String statusMessage;
    String serviceName;
    final Map<String, String> attributes = new HashMap<>();

    String attribute(String key) {
        return attributes.get(key);
    }

    boolean isRoot() {
        return parentSpanId == null || parentSpanId.isEmpty();
    }
}
