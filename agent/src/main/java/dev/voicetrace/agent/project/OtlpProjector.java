package dev.voicetrace.agent.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Projects observations and turns onto OTLP/JSON spans with the attributes Langfuse's
 * OpenTelemetry endpoint maps onto its data model ({@code langfuse.*} first, {@code gen_ai.*}
 * for other OpenTelemetry backends). Each turn is a trace whose root span is the turn itself.
 */
public final class OtlpProjector implements Projector {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SPAN_KIND_INTERNAL = 1;
    private static final int SPAN_KIND_CLIENT = 3;
    private static final int STATUS_OK = 1;
    private static final int STATUS_ERROR = 2;

    private final ProjectionContext context;

    public OtlpProjector(ProjectionContext context) {
        this.context = context;
    }

    @Override
    public List<ObjectNode> observation(LinkedObservation observation) {
        StageRecord record = observation.record;
        ObjectNode span = span(observation.turn.traceId, observation.spanId, observation.turn.rootSpanId,
                StageNames.observationName(record), SPAN_KIND_CLIENT, record.startEpochNanos, record.endEpochNanos);
        Attributes attributes = new Attributes(span.putArray("attributes"));
        attributes.put("langfuse.observation.type", "generation");
        sessionAndEnvironment(attributes, observation.sessionId);
        attributes.put("langfuse.observation.input", json(record.input));
        attributes.put("langfuse.observation.output", json(record.output));
        attributes.put("langfuse.observation.model.name", record.model);
        attributes.put("gen_ai.system", record.provider);
        attributes.put("gen_ai.request.model", record.model);
        if (!record.modelParameters.isEmpty()) {
            attributes.put("langfuse.observation.model.parameters", json(record.modelParameters));
        }
        if (!record.usage.isEmpty()) {
            attributes.put("langfuse.observation.usage_details", json(record.usage));
            putLong(attributes, "gen_ai.usage.input_tokens", record.usage.get("input"));
            putLong(attributes, "gen_ai.usage.output_tokens", record.usage.get("output"));
        }
        if (!record.cost.isEmpty()) {
            attributes.put("langfuse.observation.cost_details", json(record.cost));
        }
        if (record.firstOutputEpochNanos > 0) {
            // Langfuse reads this attribute as JSON, as its SDKs write it: a quoted ISO-8601 string.
            attributes.put("langfuse.observation.completion_start_time",
                    json(StageNames.iso(record.firstOutputEpochNanos)));
        }
        for (Map.Entry<String, String> entry : StageNames.metadata(observation).entrySet()) {
            attributes.put("langfuse.observation.metadata." + entry.getKey(), entry.getValue());
        }
        ObjectNode status = span.putObject("status");
        if (record.error != null) {
            attributes.put("langfuse.observation.level", "ERROR");
            attributes.put("langfuse.observation.status_message", record.error);
            status.put("code", STATUS_ERROR).put("message", record.error);
        } else {
            status.put("code", STATUS_OK);
        }
        return Collections.singletonList(span);
    }

    @Override
    public List<ObjectNode> turn(Turn turn) {
        ObjectNode span = span(turn.traceId, turn.rootSpanId, null, StageNames.TURN_NAME, SPAN_KIND_INTERNAL,
                turn.startEpochNanos(), turn.endEpochNanos());
        Attributes attributes = new Attributes(span.putArray("attributes"));
        attributes.put("langfuse.observation.type", "span");
        attributes.put("langfuse.trace.name", StageNames.TURN_NAME);
        sessionAndEnvironment(attributes, turn.sessionId);
        String input = json(turn.userText());
        String output = json(turn.replyText());
        attributes.put("langfuse.trace.input", input);
        attributes.put("langfuse.trace.output", output);
        attributes.put("langfuse.observation.input", input);
        attributes.put("langfuse.observation.output", output);
        TurnMetrics metrics = turn.metrics();
        attributes.put("langfuse.trace.metadata.turn_index", Integer.toString(turn.index));
        attributes.put("langfuse.trace.metadata.total_tokens", Long.toString(metrics.totalTokens));
        attributes.put("langfuse.trace.metadata.total_cost_usd", Double.toString(metrics.totalCost));
        for (Map.Entry<String, Double> latency : metrics.latenciesMs.entrySet()) {
            attributes.put("langfuse.trace.metadata." + latency.getKey(), Double.toString(latency.getValue()));
            attributes.put("langfuse.observation.metadata." + latency.getKey(), Double.toString(latency.getValue()));
            attributes.putDouble("voicetrace.turn." + latency.getKey(), latency.getValue());
        }
        attributes.putLong("voicetrace.turn.total_tokens", metrics.totalTokens);
        attributes.putDouble("voicetrace.turn.total_cost_usd", metrics.totalCost);
        span.putObject("status").put("code", STATUS_OK);
        return Collections.singletonList(span);
    }

    /** The resource and scope wrapper that the exporter puts around a batch of spans. */
    public ObjectNode resourceEnvelope() {
        ObjectNode resourceSpans = JSON.objectNode();
        Attributes resource = new Attributes(resourceSpans.putObject("resource").putArray("attributes"));
        resource.put("service.name", context.serviceName);
        resource.put("telemetry.sdk.name", "voicetrace");
        resource.put("telemetry.sdk.language", "java");
        resource.put("telemetry.sdk.version", context.agentVersion);
        if (context.environment != null) {
            resource.put("deployment.environment", context.environment);
        }
        ObjectNode scope = resourceSpans.putArray("scopeSpans").addObject();
        scope.putObject("scope").put("name", "voicetrace").put("version", context.agentVersion);
        scope.putArray("spans");
        return resourceSpans;
    }

    private void sessionAndEnvironment(Attributes attributes, String sessionId) {
        attributes.put("langfuse.session.id", sessionId);
        attributes.put("session.id", sessionId);
        attributes.put("langfuse.environment", context.environment);
        attributes.put("langfuse.release", context.release);
    }

    private static ObjectNode span(String traceId, String spanId, String parentSpanId, String name, int kind,
                                   long start, long end) {
        ObjectNode span = JSON.objectNode();
        span.put("traceId", traceId);
        span.put("spanId", spanId);
        if (parentSpanId != null) {
            span.put("parentSpanId", parentSpanId);
        }
        span.put("name", name);
        span.put("kind", kind);
        // OTLP/JSON writes 64-bit integers as decimal strings.
        span.put("startTimeUnixNano", Long.toString(start));
        span.put("endTimeUnixNano", Long.toString(Math.max(start, end)));
        return span;
    }

    private static void putLong(Attributes attributes, String key, Long value) {
        if (value != null) {
            attributes.putLong(key, value);
        }
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** An OTLP attribute list; null values are left out, as OTLP has no null. */
    static final class Attributes {
        private final ArrayNode list;

        Attributes(ArrayNode list) {
            this.list = list;
        }

        void put(String key, String value) {
            if (value != null) {
                entry(key).put("stringValue", value);
            }
        }

        void putLong(String key, long value) {
            entry(key).put("intValue", value);
        }

        void putDouble(String key, double value) {
            entry(key).put("doubleValue", value);
        }

        private ObjectNode entry(String key) {
            ObjectNode attribute = list.addObject();
            attribute.put("key", key);
            return attribute.putObject("value");
        }
    }
}
