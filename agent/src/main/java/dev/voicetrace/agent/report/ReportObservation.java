package dev.voicetrace.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One call of a turn (STT, LLM, TTS, a tool, any other observation) with the figures the page shows. */
final class ReportObservation {

    private static final String OBSERVATION = "langfuse.observation.";
    private static final String METADATA = OBSERVATION + "metadata.";

    String spanId;
    String parentSpanId;
    String name;
    /** stt, llm, tts, tool or other: the bar colour. */
    String stage;
    String type;
    String model;
    String provider;
    long startNanos;
    long endNanos;
    /** First token, first audio byte or first transcript; 0 when not known. */
    long firstOutputNanos;
    /** -1 when the call reported no token usage. */
    long tokens = -1;
    /** NaN when the call has no cost. */
    double cost = Double.NaN;
    String usage;
    String parameters;
    String input;
    String output;
    String error;
    boolean interrupted;
    boolean nested;
    String metadata;
    final List<String> toolCalls = new ArrayList<>();

    static ReportObservation of(ReportSpan span) {
        ReportObservation o = new ReportObservation();
        o.spanId = span.spanId;
        o.parentSpanId = span.parentSpanId;
        o.name = span.name == null ? "(unnamed)" : span.name;
        o.type = orElse(span.attribute(OBSERVATION + "type"), "span");
        o.stage = stageOf(span, o.type, o.name);
        o.model = span.attribute(OBSERVATION + "model.name");
        if (o.model == null) {
            o.model = span.attribute("gen_ai.request.model");
        }
        o.provider = orElse(span.attribute(METADATA + "provider"), span.attribute("gen_ai.system"));
        o.startNanos = span.startNanos;
        o.endNanos = Math.max(span.endNanos, span.startNanos);
        o.firstOutputNanos = completionStart(span.attribute(OBSERVATION + "completion_start_time"));
        String usage = span.attribute(OBSERVATION + "usage_details");
        if (usage != null) {
            o.usage = TextLimits.cut(usage, TextLimits.SHORT_TEXT);
            o.tokens = tokensOf(usage);
        }
        String cost = span.attribute(OBSERVATION + "cost_details");
        if (cost != null) {
            o.cost = costOf(cost);
        }
        o.parameters = TextLimits.cut(span.attribute(OBSERVATION + "model.parameters"), TextLimits.SHORT_TEXT);
        String output = span.attribute(OBSERVATION + "output");
        o.input = TextLimits.cut(span.attribute(OBSERVATION + "input"), TextLimits.CALL_TEXT);
        o.output = TextLimits.cut(output, TextLimits.CALL_TEXT);
        if ("ERROR".equals(span.attribute(OBSERVATION + "level")) || span.statusCode == 2) {
            o.error = TextLimits.cut(orElse(span.attribute(OBSERVATION + "status_message"),
                    orElse(span.statusMessage, "error")), TextLimits.SHORT_TEXT);
        }
        o.interrupted = "true".equals(span.attribute(METADATA + "interrupted"));
        o.nested = span.attribute(METADATA + "nested_in") != null;
        o.metadata = metadataText(span);
        if ("tool".equals(o.stage)) {
            o.toolCalls.add(TextLimits.cut(o.name + (o.input == null ? "" : " " + o.input), TextLimits.SHORT_TEXT));
        } else if (output != null && (output.contains("tool_calls") || output.contains("tool_use")
                || output.contains("function_call"))) {
            toolCallsOf(output, o.toolCalls);
        }
        return o;
    }

    private static String stageOf(ReportSpan span, String type, String name) {
        String stage = span.attribute(METADATA + "stage");
        if (stage == null && "generation".equals(type)) {
            int space = name.indexOf(' ');
            stage = space > 0 ? name.substring(0, space) : null;
        }
        if (stage != null) {
            stage = stage.toLowerCase(Locale.ROOT);
            if (stage.equals("stt") || stage.equals("llm") || stage.equals("tts")) {
                return stage;
            }
        }
        return "tool".equals(type) ? "tool" : "other";
    }

    /** Langfuse reads this attribute as JSON: a quoted ISO-8601 instant. */
    static long completionStart(String value) {
        if (value == null) {
            return 0;
        }
        String text = value.trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            Instant instant = Instant.parse(text);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /**
     * {@code total} when present, else the sum of the buckets (disjoint token counts; characters and
     * durations are not tokens).
     */
    static long tokensOf(String usageJson) {
        JsonNode usage = parse(usageJson);
        if (usage == null || !usage.isObject()) {
            return -1;
        }
        JsonNode total = usage.get("total");
        if (total != null && total.isNumber()) {
            return total.asLong();
        }
        long sum = 0;
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> fields = usage.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (field.getValue().isNumber() && !key.contains("character") && !key.contains("second")
                    && !key.endsWith("_ms")) {
                sum += field.getValue().asLong();
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** {@code total} when present, else the sum of the parts. */
    static double costOf(String costJson) {
        JsonNode cost = parse(costJson);
        if (cost == null || !cost.isObject()) {
            return Double.NaN;
        }
        JsonNode total = cost.get("total");
        if (total != null && total.isNumber()) {
            return total.asDouble();
        }
        double sum = 0;
        boolean any = false;
        for (JsonNode part : cost) {
            if (part.isNumber()) {
                sum += part.asDouble();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    private static String metadataText(ReportSpan span) {
        Map<String, String> shown = new TreeMap<>();
        for (Map.Entry<String, String> attribute : span.attributes.entrySet()) {
            if (attribute.getKey().startsWith(METADATA)) {
                String key = attribute.getKey().substring(METADATA.length());
                if (!key.equals("provider") && !key.equals("stage") && !key.equals("turn_index")) {
                    shown.put(key, attribute.getValue());
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : shown.entrySet()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(entry.getKey()).append('=').append(TextLimits.cut(entry.getValue(), 80));
        }
        return text.length() == 0 ? null : TextLimits.cut(text.toString(), TextLimits.SHORT_TEXT);
    }

    /**
     * Tool calls in a model's reply, whatever the provider's shape: OpenAI's
     * {@code tool_calls[].function}, Responses API {@code function_call} items, Anthropic's
     * {@code tool_use} blocks.
     */
    private static void toolCallsOf(String outputJson, List<String> calls) {
        JsonNode output = parse(outputJson);
        if (output != null) {
            collectToolCalls(output, calls, 0);
        }
    }

    private static void collectToolCalls(JsonNode node, List<String> calls, int depth) {
        if (depth > 8 || calls.size() >= 8) {
            return;
        }
        if (node.isObject()) {
            JsonNode function = node.get("function");
            String type = node.path("type").asText("");
            if (function != null && function.isObject() && function.has("name")) {
                calls.add(call(function.path("name").asText(), function.get("arguments")));
                return;
            }
            if (("function_call".equals(type) || "tool_use".equals(type)) && node.has("name")) {
                calls.add(call(node.path("name").asText(), node.has("arguments") ? node.get("arguments") : node.get("input")));
                return;
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                collectToolCalls(child, calls, depth + 1);
            }
        }
    }

    private static String call(String name, JsonNode arguments) {
        String args = arguments == null ? "" : arguments.isTextual() ? arguments.asText() : Json.write(arguments);
        return TextLimits.cut(name + "(" + args + ")", TextLimits.SHORT_TEXT);
    }

    static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.read(json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
