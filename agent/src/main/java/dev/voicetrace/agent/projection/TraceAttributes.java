package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trace-level facts both wire formats carry on every trace of a session: the user id, the
 * static tags and the call metadata read from the MDC. A turn takes them from its observations.
 */
final class TraceAttributes {

    final String userId;
    final Map<String, String> metadata;

    private TraceAttributes(String userId, Map<String, String> metadata) {
        this.userId = userId;
        this.metadata = metadata;
    }

    static TraceAttributes of(LinkedObservation observation) {
        return new TraceAttributes(observation.record.userId, observation.record.traceMetadata);
    }

    static TraceAttributes of(Turn turn) {
        String userId = null;
        Map<String, String> metadata = null;
        for (LinkedObservation observation : turn.observations()) {
            if (userId == null) {
                userId = observation.record.userId;
            }
            if (!observation.record.traceMetadata.isEmpty()) {
                if (metadata == null) {
                    metadata = new TreeMap<>();
                }
                for (Map.Entry<String, String> entry : observation.record.traceMetadata.entrySet()) {
                    metadata.putIfAbsent(entry.getKey(), entry.getValue());
                }
            }
        }
        return new TraceAttributes(userId, metadata == null ? Collections.emptyMap() : metadata);
    }

    /** Writes them as OTLP attributes in Langfuse's names (and OpenTelemetry's {@code user.id}). */
    void writeTo(SpanWriter span, List<String> tags) {
        span.attribute("langfuse.user.id", userId);
        span.attribute("user.id", userId);
        if (!tags.isEmpty()) {
            span.jsonStringArrayAttribute("langfuse.trace.tags", tags);
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            span.attribute(AttributeKeys.prefixed("langfuse.trace.metadata.", entry.getKey()), entry.getValue());
        }
    }
}
