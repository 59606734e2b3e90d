package dev.voicetrace.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One turn (one trace): its root span's figures when the root was read, and its observations.
 * A turn whose root never came (a cut file, a spool without it) is still shown, marked
 * incomplete, with its figures worked out from its observations the way the agent does.
 */
final class ReportTurn {

    static final String[] LATENCIES = {
        "stt_latency_ms", "llm_time_to_first_token_ms", "tts_time_to_first_byte_ms", "voice_to_voice_ms",
        "llm_latency_ms"
    };

    private static final String TRACE_METADATA = "langfuse.trace.metadata.";

    final String traceId;
    String sessionId;
    String serviceName;
    String name;
    /** The turn's number in its session as the agent counted it; 0 when unknown. */
    int turnIndex;
    String userText;
    String replyText;
    boolean complete;
    long rootStartNanos;
    long rootEndNanos;
    long rootTokens = -1;
    double rootCost = Double.NaN;
    final Map<String, Double> rootLatencies = new LinkedHashMap<>();
    final List<ReportObservation> observations = new ArrayList<>();

    ReportTurn(String traceId) {
        this.traceId = traceId;
    }

    void add(ReportSpan span) {
        if (sessionId == null) {
            sessionId = sessionOf(span);
        }
        if (serviceName == null) {
            serviceName = span.serviceName;
        }
        if (span.isRoot() && !complete) {
            readRoot(span);
        } else {
            observations.add(ReportObservation.of(span));
        }
    }

    private void readRoot(ReportSpan root) {
        complete = true;
        name = root.attribute("langfuse.trace.name");
        if (name == null) {
            name = root.name;
        }
        rootStartNanos = root.startNanos;
        rootEndNanos = Math.max(root.endNanos, root.startNanos);
        userText = TextLimits.cut(plainText(orElse(root.attribute("langfuse.trace.input"),
                root.attribute("langfuse.observation.input"))), TextLimits.TURN_TEXT);
        replyText = TextLimits.cut(plainText(orElse(root.attribute("langfuse.trace.output"),
                root.attribute("langfuse.observation.output"))), TextLimits.TURN_TEXT);
        turnIndex = (int) number(root.attribute(TRACE_METADATA + "turn_index"), 0);
        double tokens = number(root.attribute(TRACE_METADATA + "total_tokens"), Double.NaN);
        rootTokens = Double.isNaN(tokens) ? -1 : (long) tokens;
        rootCost = number(root.attribute(TRACE_METADATA + "total_cost_usd"), Double.NaN);
        for (String latency : LATENCIES) {
            double value = number(orElse(root.attribute(TRACE_METADATA + latency),
                    root.attribute("voicetrace.turn." + latency)), Double.NaN);
            if (!Double.isNaN(value)) {
                rootLatencies.put(latency, value);
            }
        }
    }

    long startNanos() {
        long start = complete ? rootStartNanos : Long.MAX_VALUE;
        for (ReportObservation o : observations) {
            start = Math.min(start, o.startNanos);
        }
        return start == Long.MAX_VALUE ? 0 : start;
    }

    long endNanos() {
        long end = complete ? rootEndNanos : 0;
        for (ReportObservation o : observations) {
            end = Math.max(end, o.endNanos);
        }
        return end;
    }

    long tokens() {
        if (rootTokens >= 0) {
            return rootTokens;
        }
        long sum = 0;
        for (ReportObservation o : observations) {
            if (o.tokens > 0 && !o.nested) {
                sum += o.tokens;
            }
        }
        return sum;
    }

    double cost() {
        if (!Double.isNaN(rootCost)) {
            return rootCost;
        }
        double sum = 0;
        for (ReportObservation o : observations) {
            if (!Double.isNaN(o.cost)) {
                sum += o.cost;
            }
        }
        return sum;
    }

    int errors() {
        int errors = 0;
        for (ReportObservation o : observations) {
            if (o.error != null) {
                errors++;
            }
        }
        return errors;
    }

    int interruptions() {
        int interruptions = 0;
        for (ReportObservation o : observations) {
            if (o.interrupted) {
                interruptions++;
            }
        }
        return interruptions;
    }

    /** The root span's figures, else the same figures worked out from the observations. */
    Map<String, Double> latencies() {
        if (complete) {
            return rootLatencies;
        }
        Map<String, Double> derived = new LinkedHashMap<>();
        ReportObservation stt = first("stt");
        ReportObservation firstLlm = first("llm");
        ReportObservation lastLlm = null;
        ReportObservation tts = first("tts");
        for (ReportObservation o : observations) {
            if ("llm".equals(o.stage) && (lastLlm == null || o.endNanos >= lastLlm.endNanos)) {
                lastLlm = o;
            }
        }
        if (stt != null) {
            derived.put("stt_latency_ms", millis(stt.endNanos - stt.startNanos));
        }
        if (firstLlm != null) {
            derived.put("llm_latency_ms", millis(lastLlm.endNanos - firstLlm.startNanos));
            if (lastLlm.firstOutputNanos > 0) {
                derived.put("llm_time_to_first_token_ms", millis(lastLlm.firstOutputNanos - lastLlm.startNanos));
            }
        }
        if (tts != null && tts.firstOutputNanos > 0) {
            derived.put("tts_time_to_first_byte_ms", millis(tts.firstOutputNanos - tts.startNanos));
            if (stt != null) {
                derived.put("voice_to_voice_ms", millis(tts.firstOutputNanos - stt.endNanos));
            }
        }
        return derived;
    }

    /** Without a root span, the transcript and the last spoken text stand for the caller's words and the reply. */
    String heard() {
        if (userText != null || complete) {
            return userText;
        }
        ReportObservation stt = first("stt");
        return stt == null ? null : TextLimits.cut(field(stt.output, "text"), TextLimits.TURN_TEXT);
    }

    String spoken() {
        if (replyText != null || complete) {
            return replyText;
        }
        ReportObservation tts = first("tts");
        return tts == null ? null : TextLimits.cut(field(tts.input, "text"), TextLimits.TURN_TEXT);
    }

    private ReportObservation first(String stage) {
        ReportObservation first = null;
        for (ReportObservation o : observations) {
            if (stage.equals(o.stage) && (first == null || o.startNanos < first.startNanos)) {
                first = o;
            }
        }
        return first;
    }

    private static String sessionOf(ReportSpan span) {
        String session = span.attribute("langfuse.session.id");
        return session != null ? session : span.attribute("session.id");
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    /** Trace input and output are JSON: a plain string is shown as its text, anything else as JSON. */
    private static String plainText(String json) {
        if (json == null) {
            return null;
        }
        if (json.startsWith("\"")) {
            JsonNode node = ReportObservation.parse(json);
            if (node != null && node.isTextual()) {
                return node.asText();
            }
        }
        return json;
    }

    private static String field(String json, String name) {
        JsonNode node = ReportObservation.parse(json);
        JsonNode value = node == null ? null : node.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static double number(String text, double fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
