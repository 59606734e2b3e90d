package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Projects observations and turns onto events of Langfuse's legacy batch ingestion API
 * ({@code POST /api/public/ingestion}), for self-hosted Langfuse v2 and v3. Each event has a
 * fresh UUID, so a retried batch is deduplicated by Langfuse.
 */
public final class IngestionProjector implements Projector {

    /** An event's long texts are its body's input and output. */
    @Override
    public List<ItemTruncator.Field> of(ObjectNode event) {
        List<ItemTruncator.Field> fields = new java.util.ArrayList<>();
        JsonNode body = event.path("body");
        if (body.isObject()) {
            for (String name : new String[] {"input", "output"}) {
                JsonNode value = body.get(name);
                if (value != null && !value.isNull()) {
                    ObjectNode target = (ObjectNode) body;
                    fields.add(new ItemTruncator.Field(value.isTextual() ? value.asText() : Json.write(value),
                            text -> target.put(name, text)));
                }
            }
        }
        return fields;
    }

    @Override
    public void markTruncated(ObjectNode event) {
        JsonNode body = event.path("body");
        if (!body.isObject()) {
            return;
        }
        JsonNode metadata = body.path("metadata");
        if (metadata.isObject()) {
            ((ObjectNode) metadata).put("truncated", "true");
        } else if (metadata.isMissingNode() || metadata.isNull()) {
            ((ObjectNode) body).putObject("metadata").put("truncated", "true");
        }
    }

    /** The legacy batch API: events in {@code batch}. */
    @Override
    public WireFormat wireFormat() {
        return WireFormat.around("/api/public/ingestion", "{\"batch\":[", "]}");
    }

    private static final JsonNodeFactory JSON = Json.NODES;

    private final ProjectionContext context;

    public IngestionProjector(ProjectionContext context) {
        this.context = context;
    }

    @Override
    public List<ObjectNode> observation(LinkedObservation observation) {
        StageRecord record = observation.record;
        if (record.kind == StageKind.TOOL) {
            return tool(observation);
        }
        ObjectNode body = JSON.objectNode();
        body.put("id", observation.spanId);
        body.put("traceId", observation.turn.traceId);
        body.put("parentObservationId", observation.turn.rootSpanId);
        body.put("name", StageNames.observationName(record));
        body.put("startTime", EpochClock.iso(record.startEpochNanos));
        body.put("endTime", EpochClock.iso(Math.max(record.startEpochNanos, record.endEpochNanos)));
        if (record.firstOutputEpochNanos > 0) {
            body.put("completionStartTime", EpochClock.iso(record.firstOutputEpochNanos));
        }
        body.put("model", record.model);
        if (!record.modelParameters.isEmpty()) {
            // MapValue admits strings, integers and floats, but an integer also matches the float
            // branch of its oneOf; strings are unambiguous and Langfuse shows them the same way.
            ObjectNode parameters = body.putObject("modelParameters");
            record.modelParameters.forEach((key, value) -> parameters.put(key, String.valueOf(value)));
        }
        body.set("input", nullable(record.input));
        body.set("output", nullable(record.output));
        ObjectNode metadata = body.putObject("metadata");
        StageNames.metadata(observation, metadata::put);
        metadata.put("service_name", context.serviceName);
        if (!record.usage.isEmpty()) {
            ObjectNode usage = body.putObject("usageDetails");
            record.usage.forEach(usage::put);
        }
        if (!record.cost.isEmpty()) {
            ObjectNode cost = body.putObject("costDetails");
            record.cost.forEach(cost::put);
        }
        if (record.error != null) {
            body.put("level", "ERROR");
            body.put("statusMessage", record.error);
        } else {
            body.put("level", "DEFAULT");
        }
        putIfSet(body, "environment", context.environment);
        return Collections.singletonList(event("generation-create", body));
    }

    /** A tool: an observation of type TOOL with its arguments as input and result as output, no model or cost. */
    private List<ObjectNode> tool(LinkedObservation observation) {
        StageRecord record = observation.record;
        ObjectNode body = JSON.objectNode();
        body.put("id", observation.spanId);
        body.put("traceId", observation.turn.traceId);
        body.put("type", "TOOL");
        body.put("parentObservationId", observation.turn.rootSpanId);
        body.put("name", StageNames.observationName(record));
        body.put("startTime", EpochClock.iso(record.startEpochNanos));
        body.put("endTime", EpochClock.iso(Math.max(record.startEpochNanos, record.endEpochNanos)));
        body.set("input", nullable(record.input));
        body.set("output", nullable(record.output));
        ObjectNode metadata = body.putObject("metadata");
        StageNames.metadata(observation, metadata::put);
        metadata.put("service_name", context.serviceName);
        if (record.error != null) {
            body.put("level", "ERROR");
            body.put("statusMessage", record.error);
        } else {
            body.put("level", "DEFAULT");
        }
        putIfSet(body, "environment", context.environment);
        return Collections.singletonList(event("observation-create", body));
    }

    @Override
    public List<ObjectNode> turn(Turn turn) {
        TurnMetrics metrics = turn.metrics();
        ObjectNode metadata = JSON.objectNode();
        metadata.put("turn_index", turn.index);
        metadata.put("service_name", context.serviceName);
        metadata.put("total_tokens", metrics.totalTokens);
        metadata.put("total_cost_usd", metrics.totalCost);
        for (Map.Entry<String, Double> latency : metrics.latenciesMs.entrySet()) {
            metadata.put(latency.getKey(), latency.getValue());
        }

        ObjectNode trace = JSON.objectNode();
        trace.put("id", turn.traceId);
        trace.put("timestamp", EpochClock.iso(turn.startEpochNanos()));
        trace.put("name", StageNames.TURN_NAME);
        trace.put("sessionId", turn.sessionId);
        TraceAttributes attributes = TraceAttributes.of(turn);
        putIfSet(trace, "userId", attributes.userId);
        if (!context.tags.isEmpty()) {
            context.tags.forEach(trace.putArray("tags")::add);
        }
        attributes.metadata.forEach(metadata::put);
        trace.put("input", turn.userText());
        trace.put("output", turn.replyText());
        trace.set("metadata", metadata);
        putIfSet(trace, "environment", context.environment);
        putIfSet(trace, "release", context.release);

        ObjectNode root = JSON.objectNode();
        root.put("id", turn.rootSpanId);
        root.put("traceId", turn.traceId);
        root.put("name", StageNames.TURN_NAME);
        root.put("startTime", EpochClock.iso(turn.startEpochNanos()));
        root.put("endTime", EpochClock.iso(turn.endEpochNanos()));
        root.put("input", turn.userText());
        root.put("output", turn.replyText());
        root.set("metadata", metadata.deepCopy());
        putIfSet(root, "environment", context.environment);
        return Arrays.asList(event("trace-create", trace), event("span-create", root));
    }

    private ObjectNode event(String type, ObjectNode body) {
        ObjectNode event = JSON.objectNode();
        event.put("id", context.ids.eventId());
        event.put("timestamp", EpochClock.iso(context.epochNanosClock.getAsLong()));
        event.put("type", type);
        event.set("body", body);
        return event;
    }

    private static JsonNode nullable(JsonNode node) {
        return node == null ? JSON.nullNode() : node;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
