package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.export.DeferredWireFormat;
import dev.voicetrace.agent.export.WireFormat;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import dev.voicetrace.agent.model.StageKind;
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

    private static final String PATH = "/api/public/otel/v1/traces";

    private static final java.util.Set<String> CONTENT_ATTRIBUTES = java.util.Set.of("langfuse.observation.input",
            "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output",
            "gen_ai.input.messages", "gen_ai.output.messages");

    /** A span's long texts are its input and output attributes (observation and trace). */
    @Override
    public List<ItemTruncator.Field> of(ObjectNode span) {
        List<ItemTruncator.Field> fields = new java.util.ArrayList<>();
        for (JsonNode attribute : span.path("attributes")) {
            JsonNode value = attribute.path("value");
            if (CONTENT_ATTRIBUTES.contains(attribute.path("key").asText()) && value.path("stringValue").isTextual()) {
                ObjectNode target = (ObjectNode) value;
                fields.add(new ItemTruncator.Field(value.get("stringValue").asText(),
                        text -> target.put("stringValue", text)));
            }
        }
        return fields;
    }

    @Override
    public void markTruncated(ObjectNode span) {
        ObjectNode attribute = span.withArray("attributes").addObject();
        attribute.put("key", "langfuse.observation.metadata.truncated");
        attribute.putObject("value").put("stringValue", "true");
    }

    private static final JsonNodeFactory JSON = Json.NODES;
    private static final int SPAN_KIND_INTERNAL = 1;
    private static final int SPAN_KIND_CLIENT = 3;
    private static final int STATUS_OK = 1;
    private static final int STATUS_ERROR = 2;

    private final ProjectionContext context;
    /** The resource's attributes; null for the few the context names (service, agent, environment). */
    private final Map<String, Object> resource;
    /** Whether generations carry {@code gen_ai.input.messages} / {@code gen_ai.output.messages}. */
    private final boolean genAiMessages;

    public OtlpProjector(ProjectionContext context) {
        this(context, null, false);
    }

    public OtlpProjector(ProjectionContext context, Map<String, Object> resource, boolean genAiMessages) {
        this.context = context;
        this.resource = resource;
        this.genAiMessages = genAiMessages;
    }

    @Override
    public List<ObjectNode> observation(LinkedObservation observation) {
        return trees(encodedObservation(observation));
    }

    @Override
    public List<ObjectNode> turn(Turn turn) {
        return trees(encodedTurn(turn));
    }

    /** The observation's span, written straight to JSON bytes: this runs for every call. */
    @Override
    public List<byte[]> encodedObservation(LinkedObservation observation) {
        StageRecord record = observation.record;
        if (record.kind == StageKind.TOOL) {
            return encodedTool(observation);
        }
        SpanWriter span = new SpanWriter(observation.turn.traceId, observation.spanId, observation.turn.rootSpanId,
                StageNames.observationName(record), SPAN_KIND_CLIENT, record.startEpochNanos, record.endEpochNanos);
        span.attribute("langfuse.observation.type", "generation");
        // A trace first seen through a child (its root span comes at the turn's end) gets its name now.
        span.attribute("langfuse.trace.name", StageNames.TURN_NAME);
        sessionAndEnvironment(span, observation.sessionId);
        TraceAttributes.of(observation).writeTo(span, context.tags);
        span.jsonAttribute("langfuse.observation.input", record.input);
        span.jsonAttribute("langfuse.observation.output", record.output);
        span.attribute("langfuse.observation.model.name", record.model);
        GenAiConventions.writeTo(span, record, observation.sessionId);
        if (!record.modelParameters.isEmpty()) {
            span.jsonObjectAttribute("langfuse.observation.model.parameters", record.modelParameters);
        }
        if (!record.usage.isEmpty()) {
            span.jsonObjectAttribute("langfuse.observation.usage_details", record.usage);
            // OpenTelemetry's GenAI conventions count the whole input and output, parts included.
            long input = 0;
            long output = 0;
            for (Map.Entry<String, Long> bucket : record.usage.entrySet()) {
                if (bucket.getKey().startsWith("input")) {
                    input += bucket.getValue();
                } else if (bucket.getKey().startsWith("output")) {
                    output += bucket.getValue();
                }
            }
            span.attribute("gen_ai.usage.input_tokens", input);
            span.attribute("gen_ai.usage.output_tokens", output);
        }
        if (genAiMessages) {
            GenAiConventions.writeMessages(span, record);
        }
        if (!record.cost.isEmpty()) {
            span.jsonObjectAttribute("langfuse.observation.cost_details", record.cost);
        }
        if (record.firstOutputEpochNanos > 0) {
            // Langfuse reads this attribute as JSON, as its SDKs write it: a quoted ISO-8601 string.
            span.jsonStringAttribute("langfuse.observation.completion_start_time",
                    EpochClock.iso(record.firstOutputEpochNanos));
        }
        StageNames.metadata(observation,
                (key, value) -> span.attribute(AttributeKeys.prefixed("langfuse.observation.metadata.", key), value));
        span.attribute("langfuse.observation.metadata.service_name", context.serviceName);
        if (record.error != null) {
            span.attribute("langfuse.observation.level", "ERROR");
            span.attribute("langfuse.observation.status_message", record.error);
            return Collections.singletonList(span.finish(STATUS_ERROR, record.error));
        }
        return Collections.singletonList(span.finish(STATUS_OK, null));
    }

    /** A tool's span: its name, arguments as input, result as output; no model, usage or cost. */
    private List<byte[]> encodedTool(LinkedObservation observation) {
        StageRecord record = observation.record;
        SpanWriter span = new SpanWriter(observation.turn.traceId, observation.spanId, observation.turn.rootSpanId,
                StageNames.observationName(record), SPAN_KIND_INTERNAL, record.startEpochNanos,
                Math.max(record.startEpochNanos, record.endEpochNanos));
        span.attribute("langfuse.observation.type", "tool");
        span.attribute("langfuse.trace.name", StageNames.TURN_NAME);
        sessionAndEnvironment(span, observation.sessionId);
        span.jsonAttribute("langfuse.observation.input", record.input);
        span.jsonAttribute("langfuse.observation.output", record.output);
        span.attribute("gen_ai.operation.name", "execute_tool");
        span.attribute("gen_ai.tool.name", record.metadata.get("tool_name"));
        span.attribute("gen_ai.tool.call.id", record.metadata.getOrDefault("tool_call_id",
                observation.linkFacts.get("tool_call_id")));
        StageNames.metadata(observation,
                (key, value) -> span.attribute(AttributeKeys.prefixed("langfuse.observation.metadata.", key), value));
        span.attribute("langfuse.observation.metadata.service_name", context.serviceName);
        if (record.error != null) {
            span.attribute("langfuse.observation.level", "ERROR");
            span.attribute("langfuse.observation.status_message", record.error);
            return Collections.singletonList(span.finish(STATUS_ERROR, record.error));
        }
        return Collections.singletonList(span.finish(STATUS_OK, null));
    }

    @Override
    public List<byte[]> encodedTurn(Turn turn) {
        SpanWriter span = new SpanWriter(turn.traceId, turn.rootSpanId, turn.parentSpanId, StageNames.TURN_NAME,
                SPAN_KIND_INTERNAL, turn.startEpochNanos(), turn.endEpochNanos());
        span.attribute("langfuse.observation.type", "span");
        span.attribute("langfuse.trace.name", StageNames.TURN_NAME);
        sessionAndEnvironment(span, turn.sessionId);
        TraceAttributes.of(turn).writeTo(span, context.tags);
        String input = turn.userText();
        String output = turn.replyText();
        span.jsonStringAttribute("langfuse.trace.input", input);
        span.jsonStringAttribute("langfuse.trace.output", output);
        span.jsonStringAttribute("langfuse.observation.input", input);
        span.jsonStringAttribute("langfuse.observation.output", output);
        TurnMetrics metrics = turn.metrics();
        // Numbers, not strings: Langfuse keeps metadata values as typed, so they sort and filter as numbers.
        span.attribute("langfuse.trace.metadata.turn_index", (long) turn.index);
        span.attribute("langfuse.trace.metadata.service_name", context.serviceName);
        span.attribute("langfuse.trace.metadata.total_tokens", metrics.totalTokens);
        span.attribute("langfuse.trace.metadata.total_cost_usd", metrics.totalCost);
        for (Map.Entry<String, Double> latency : metrics.latenciesMs.entrySet()) {
            double milliseconds = latency.getValue();
            span.attribute(AttributeKeys.prefixed("langfuse.trace.metadata.", latency.getKey()), milliseconds);
            span.attribute(AttributeKeys.prefixed("langfuse.observation.metadata.", latency.getKey()), milliseconds);
            span.attribute(AttributeKeys.prefixed("voicetrace.turn.", latency.getKey()), milliseconds);
        }
        span.attribute("voicetrace.turn.total_tokens", metrics.totalTokens);
        span.attribute("voicetrace.turn.total_cost_usd", metrics.totalCost);
        // How many observations the figures add up, so a reader can tell a trace it holds whole.
        span.attribute("voicetrace.turn.observations", (long) metrics.observations);
        return Collections.singletonList(span.finish(STATUS_OK, null));
    }

    /**
     * OTLP/HTTP JSON: spans inside this process's resource and the agent's scope. Built from its
     * parts, so that batching only puts the spans between a prefix and a suffix.
     */
    @Override
    public WireFormat wireFormat() {
        // Written on first export, off the JVM's start-up path.
        return DeferredWireFormat.of(PATH, () -> {
            ObjectNode envelope = resourceEnvelope();
            return WireFormat.around(PATH,
                    "{\"resourceSpans\":[{\"resource\":" + Json.write(envelope.get("resource"))
                            + ",\"scopeSpans\":[{\"scope\":" + Json.write(envelope.get("scopeSpans").get(0).get("scope"))
                            + ",\"spans\":[",
                    "]}]}]}");
        });
    }

    /** The resource and scope wrapper that the exporter puts around a batch of spans. */
    public ObjectNode resourceEnvelope() {
        ObjectNode resourceSpans = JSON.objectNode();
        Attributes attributes = new Attributes(resourceSpans.putObject("resource").putArray("attributes"));
        if (resource != null) {
            for (Map.Entry<String, Object> entry : resource.entrySet()) {
                attributes.put(entry.getKey(), entry.getValue());
            }
        } else {
            attributes.put("service.name", context.serviceName);
            attributes.put("telemetry.sdk.name", "voicetrace");
            attributes.put("telemetry.sdk.language", "java");
            attributes.put("telemetry.sdk.version", context.agentVersion);
            if (context.environment != null) {
                attributes.put("deployment.environment", context.environment);
            }
        }
        ObjectNode scope = resourceSpans.putArray("scopeSpans").addObject();
        scope.putObject("scope").put("name", "voicetrace").put("version", context.agentVersion);
        scope.putArray("spans");
        return resourceSpans;
    }

    private void sessionAndEnvironment(SpanWriter span, String sessionId) {
        span.attribute("langfuse.session.id", sessionId);
        span.attribute("session.id", sessionId);
        span.attribute("langfuse.environment", context.environment);
        span.attribute("langfuse.release", context.release);
    }

    private static List<ObjectNode> trees(List<byte[]> items) {
        List<ObjectNode> trees = new java.util.ArrayList<>(items.size());
        for (byte[] item : items) {
            try {
                trees.add((ObjectNode) Json.read(item));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return trees;
    }

    /** The resource's OTLP attribute list; null values are left out, as OTLP has no null. */
    static final class Attributes {
        private final ArrayNode list;

        Attributes(ArrayNode list) {
            this.list = list;
        }

        void put(String key, Object value) {
            if (value instanceof Long || value instanceof Integer) {
                // A JSON number, as the span attributes: Langfuse's schema types intValue as integer.
                entry(key).put("intValue", ((Number) value).longValue());
            } else if (value != null) {
                entry(key).put("stringValue", value.toString());
            }
        }



        private ObjectNode entry(String key) {
            ObjectNode attribute = list.addObject();
            attribute.put("key", key);
            return attribute.putObject("value");
        }
    }
}
