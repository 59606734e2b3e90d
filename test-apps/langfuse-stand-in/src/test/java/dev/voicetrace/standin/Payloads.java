package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Realistic request bodies, shaped like what the agent is meant to send. */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    static final String ROOT_SPAN = "eee19b7ec3c1b174";
    static final String CHILD_SPAN = "eee19b7ec3c1b175";

    private Payloads() {
    }

    static ObjectNode otlpRequest() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode resourceSpans = root.putArray("resourceSpans").addObject();
        ArrayNode resourceAttributes = resourceSpans.putObject("resource").putArray("attributes");
        attr(resourceAttributes, "service.name").put("stringValue", "voice-pipeline");
        ObjectNode scopeSpans = resourceSpans.putArray("scopeSpans").addObject();
        scopeSpans.putObject("scope").put("name", "dev.voicetrace").put("version", "0.1.0");
        ArrayNode spans = scopeSpans.putArray("spans");

        ObjectNode rootSpan = spans.addObject()
                .put("traceId", TRACE_ID).put("spanId", ROOT_SPAN).put("name", "voice-turn").put("kind", 1)
                .put("startTimeUnixNano", "1700000000000000000").put("endTimeUnixNano", "1700000002500000000");
        ArrayNode rootAttributes = rootSpan.putArray("attributes");
        attr(rootAttributes, "langfuse.trace.name").put("stringValue", "voice-turn");
        attr(rootAttributes, "langfuse.observation.type").put("stringValue", "span");
        rootSpan.putObject("status").put("code", 1);

        ObjectNode child = spans.addObject()
                .put("traceId", TRACE_ID).put("spanId", CHILD_SPAN).put("parentSpanId", ROOT_SPAN)
                .put("name", "openai.chat").put("kind", 3)
                .put("startTimeUnixNano", "1700000000100000000").put("endTimeUnixNano", 1700000001900000000L);
        ArrayNode childAttributes = child.putArray("attributes");
        attr(childAttributes, "langfuse.observation.type").put("stringValue", "generation");
        attr(childAttributes, "langfuse.trace.name").put("stringValue", "voice-turn");
        attr(childAttributes, "gen_ai.request.model").put("stringValue", "gpt-4o-mini");
        attr(childAttributes, "gen_ai.usage.input_tokens").put("intValue", 10);
        // as the agent sends them: Langfuse's own usage details beside OpenTelemetry's counts
        attr(childAttributes, "langfuse.observation.usage_details").put("stringValue", "{\"input\":10,\"total\":10}");
        attr(childAttributes, "gen_ai.request.temperature").put("doubleValue", 0.2);
        attr(childAttributes, "voicetrace.streamed").put("boolValue", true);
        child.putObject("status").put("code", 2).put("message", "HTTP 429");
        return root;
    }

    static ObjectNode attr(ArrayNode attributes, String key) {
        ObjectNode attribute = attributes.addObject().put("key", key);
        return attribute.putObject("value");
    }

    static ObjectNode ingestionBatch() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode batch = root.putArray("batch");
        ObjectNode trace = event(batch, "ev-1", "trace-create");
        trace.putObject("body").put("id", TRACE_ID).put("timestamp", "2024-05-01T10:00:00.000Z")
                .put("name", "voice-turn").put("sessionId", "session-1").putNull("userId")
                .putArray("tags").add("voice");
        ObjectNode span = event(batch, "ev-2", "span-create");
        span.putObject("body").put("id", "span-1").put("traceId", TRACE_ID).put("name", "stt")
                .put("startTime", "2024-05-01T10:00:00.000Z").put("endTime", "2024-05-01T10:00:00.800Z")
                .put("level", "DEFAULT");
        ObjectNode generation = event(batch, "ev-3", "generation-create");
        generationBody(generation.putObject("body"));
        root.putNull("metadata");
        return root;
    }

    static ObjectNode generationBody(ObjectNode body) {
        body.put("id", "gen-1").put("traceId", TRACE_ID).put("parentObservationId", "span-1")
                .put("name", "openai.chat").put("model", "gpt-4o-mini")
                .put("startTime", "2024-05-01T10:00:00.800Z").put("completionStartTime", "2024-05-01T10:00:01.100Z")
                .put("endTime", "2024-05-01T10:00:01.900Z").put("level", "ERROR").put("statusMessage", "HTTP 429")
                .putNull("version");
        body.putObject("modelParameters").put("temperature", 0.2).put("max_tokens", 256).put("stream", true);
        body.putObject("usageDetails").put("input", 10).put("output", 5).put("total", 15);
        body.putObject("costDetails").put("input", 0.0001).put("output", 0.0003).put("total", 0.0004);
        body.putObject("input").putArray("messages").addObject().put("role", "user").put("content", "hi");
        body.put("output", "hello");
        return body;
    }

    static ObjectNode event(ArrayNode batch, String id, String type) {
        return batch.addObject().put("id", id).put("timestamp", "2024-05-01T10:00:02.000Z").put("type", type);
    }
}
