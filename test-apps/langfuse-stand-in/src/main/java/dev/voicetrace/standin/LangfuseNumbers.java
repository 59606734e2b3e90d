package dev.voicetrace.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules a payload must follow beyond Langfuse's schema for Langfuse to show the right
 * numbers, as its server reads them (see {@code shared/langfuse/README.md}): it sums every usage
 * key containing {@code input} as input and every key into the total, and keeps only
 * non-negative integers. So usage buckets must be disjoint token counts whose sum is
 * {@code total}; characters and seconds are not usage; cost details are finite, priced under the
 * usage keys (or {@code audio} / {@code characters} for speech billed by time or characters) and
 * sum to their {@code total}; every span of a turn names its trace; a turn's root reports the
 * tokens and cost of its observations as Langfuse will add them up.
 */
public final class LangfuseNumbers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double COST_TOLERANCE = 1e-9;
    private static final String TURN_TRACE_NAME = "voice-turn";

    private LangfuseNumbers() {
    }

    /** Errors in one span's attributes; empty when its numbers are right. */
    public static List<String> checkSpan(ReceivedSpan span) {
        List<String> errors = new ArrayList<>();
        String where = "span " + span.name() + " " + span.spanId();
        if (!TURN_TRACE_NAME.equals(span.attribute("langfuse.trace.name"))) {
            errors.add(where + ": no langfuse.trace.name; a trace first seen through it would be nameless");
        }
        // Langfuse reads gen_ai.usage.* only when usage_details is absent; those counts include cached
        // and audio tokens, so on their own they would give other totals than the disjoint buckets.
        boolean genAiUsage = span.attributes().keySet().stream().anyMatch(key -> key.startsWith("gen_ai.usage."));
        if (genAiUsage && span.attribute("langfuse.observation.usage_details") == null) {
            errors.add(where + ": gen_ai.usage.* without langfuse.observation.usage_details; Langfuse would count"
                    + " the inclusive OpenTelemetry figures");
        }
        JsonNode usage = jsonAttribute(span, "langfuse.observation.usage_details", where, errors);
        JsonNode cost = jsonAttribute(span, "langfuse.observation.cost_details", where, errors);
        errors.addAll(checkDetails(where, usage, cost));
        return errors;
    }

    /** Errors in one legacy ingestion event's usage and cost details. */
    public static List<String> checkIngestionEvent(JsonNode event) {
        JsonNode body = event.path("body");
        String where = "event " + event.path("type").asText() + " " + body.path("id").asText();
        return checkDetails(where, body.get("usageDetails"), body.get("costDetails"));
    }

    /**
     * Errors in the turns of a set of spans: each root's {@code total_tokens} and
     * {@code total_cost_usd} must be what Langfuse adds up from the trace's observations.
     */
    public static List<String> checkTurnTotals(List<ReceivedSpan> spans) {
        Map<String, ReceivedSpan> unique = new LinkedHashMap<>();
        for (ReceivedSpan span : spans) {
            unique.putIfAbsent(span.traceId() + "/" + span.spanId(), span); // a retried request repeats spans
        }
        Map<String, long[]> tokens = new LinkedHashMap<>();
        Map<String, double[]> costs = new LinkedHashMap<>();
        Map<String, int[]> received = new LinkedHashMap<>();
        Map<String, ReceivedSpan> roots = new LinkedHashMap<>();
        for (ReceivedSpan span : unique.values()) {
            if (span.isRoot()) {
                roots.put(span.traceId(), span);
                continue;
            }
            received.computeIfAbsent(span.traceId(), t -> new int[1])[0]++;
            JsonNode usage = parse(span.attribute("langfuse.observation.usage_details"));
            JsonNode cost = parse(span.attribute("langfuse.observation.cost_details"));
            tokens.computeIfAbsent(span.traceId(), t -> new long[1])[0] += usage == null ? 0 : usage.path("total").asLong();
            costs.computeIfAbsent(span.traceId(), t -> new double[1])[0] += cost == null ? 0 : cost.path("total").asDouble();
        }
        List<String> errors = new ArrayList<>();
        for (ReceivedSpan root : roots.values()) {
            Object rootTokens = root.attribute("langfuse.trace.metadata.total_tokens");
            Object rootCost = root.attribute("langfuse.trace.metadata.total_cost_usd");
            if (rootTokens == null && rootCost == null) {
                continue; // not a voice turn root
            }
            Object counted = root.attribute("voicetrace.turn.observations");
            if (counted instanceof Number
                    && ((Number) counted).intValue() != received.getOrDefault(root.traceId(), new int[1])[0]) {
                // Some of the turn's observations were dropped under load (counted by the agent) or
                // joined after it closed: the figures cannot be compared with what arrived.
                continue;
            }
            long expectedTokens = tokens.getOrDefault(root.traceId(), new long[1])[0];
            double expectedCost = costs.getOrDefault(root.traceId(), new double[1])[0];
            if (!(rootTokens instanceof Number) || ((Number) rootTokens).longValue() != expectedTokens) {
                errors.add("turn " + root.traceId() + ": total_tokens " + rootTokens + " is not the "
                        + expectedTokens + " its observations' usage adds up to");
            }
            if (!(rootCost instanceof Number)
                    || Math.abs(((Number) rootCost).doubleValue() - expectedCost) > COST_TOLERANCE * Math.max(1, expectedCost)) {
                errors.add("turn " + root.traceId() + ": total_cost_usd " + rootCost + " is not the "
                        + expectedCost + " its observations' costs add up to");
            }
        }
        return errors;
    }

    static List<String> checkDetails(String where, JsonNode usage, JsonNode cost) {
        List<String> errors = new ArrayList<>();
        if (usage != null && !usage.isNull()) {
            if (!usage.isObject()) {
                errors.add(where + ": usage details are not an object: " + usage);
            } else {
                checkUsage(where, usage, errors);
            }
        }
        if (cost != null && !cost.isNull()) {
            if (!cost.isObject()) {
                errors.add(where + ": cost details are not an object: " + cost);
            } else {
                checkCost(where, cost, usage == null || !usage.isObject() ? null : usage, errors);
            }
        }
        return errors;
    }

    private static void checkUsage(String where, JsonNode usage, List<String> errors) {
        long sum = 0;
        boolean hasTotal = false;
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = usage.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (!value.isIntegralNumber() || value.asLong() < 0) {
                errors.add(where + ": usage " + key + "=" + value + " is not a non-negative integer; Langfuse drops it");
                continue;
            }
            if (!isTokenKey(key)) {
                errors.add(where + ": usage key " + key + " is not a token count; Langfuse adds it to the token totals");
            }
            if ("total".equals(key)) {
                hasTotal = true;
                total = value.asLong();
            } else {
                sum += value.asLong();
            }
        }
        if (!hasTotal) {
            errors.add(where + ": usage has no total");
        } else if (total != sum) {
            errors.add(where + ": usage total " + total + " is not the sum " + sum
                    + " of its buckets (buckets overlap, or the total is the provider's): " + usage);
        }
    }

    private static void checkCost(String where, JsonNode cost, JsonNode usage, List<String> errors) {
        double sum = 0;
        Double total = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = cost.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0) {
                errors.add(where + ": cost " + key + "=" + value + " is not a finite non-negative number");
                continue;
            }
            if ("total".equals(key)) {
                total = value.asDouble();
                continue;
            }
            sum += value.asDouble();
            boolean pricesUsage = usage != null && usage.has(key);
            if (!pricesUsage && !"audio".equals(key) && !"characters".equals(key)) {
                errors.add(where + ": cost key " + key + " prices no usage bucket sent; Langfuse's input/output"
                        + " cost split would not match its usage split");
            }
        }
        if (total == null) {
            errors.add(where + ": cost has no total");
        } else if (Math.abs(total - sum) > COST_TOLERANCE * Math.max(1, total)) {
            errors.add(where + ": cost total " + total + " is not the sum " + sum + " of its parts");
        }
    }

    /** {@code input}, {@code output}, {@code total}, or a token sub-bucket such as {@code input_cached_tokens}. */
    private static boolean isTokenKey(String key) {
        if (key.equals("input") || key.equals("output") || key.equals("total")) {
            return true;
        }
        return (key.startsWith("input_") || key.startsWith("output_")) && key.endsWith("_tokens");
    }

    private static JsonNode jsonAttribute(ReceivedSpan span, String key, String where, List<String> errors) {
        Object value = span.attribute(key);
        if (value == null) {
            return null;
        }
        JsonNode parsed = parse(value);
        if (parsed == null) {
            errors.add(where + ": " + key + " is not a JSON string: " + value);
        }
        return parsed;
    }

    private static JsonNode parse(Object value) {
        if (!(value instanceof String)) {
            return null;
        }
        try {
            return JSON.readTree((String) value);
        } catch (IOException e) {
            return null;
        }
    }
}
