package dev.voicetrace.reportit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Makes a large events file out of one the agent wrote: the template's conversation is repeated
 * as new sessions, each with fresh trace and span ids, later times and its own pace (every time
 * and latency of a copy scaled by one random factor, so the figures spread). With {@code compact},
 * model inputs keep only their last two messages, as a short call would have them.
 *
 * <pre>java -cp ... dev.voicetrace.reportit.SyntheticEvents TEMPLATE OUT TURNS [--compact]</pre>
 */
final class SyntheticEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<JsonNode> template = new ArrayList<>();
    private final int turnsPerCopy;
    private final long templateStart;
    private final long templateSpan;

    SyntheticEvents(Path templateFile) throws IOException {
        long start = Long.MAX_VALUE;
        long end = 0;
        int roots = 0;
        for (String line : Files.readAllLines(templateFile, StandardCharsets.UTF_8)) {
            JsonNode body = MAPPER.readTree(line);
            template.add(body);
            for (JsonNode span : spans(body)) {
                start = Math.min(start, span.get("startTimeUnixNano").asLong());
                end = Math.max(end, span.get("endTimeUnixNano").asLong());
                if (span.path("parentSpanId").asText("").isEmpty()) {
                    roots++;
                }
            }
        }
        turnsPerCopy = roots;
        templateStart = start;
        templateSpan = end - start;
    }

    int turnsPerCopy() {
        return turnsPerCopy;
    }

    /**
     * Writes copies until {@code turns} turns; {@code edit} may change each copy's string attribute
     * values (given the copy number, it returns a function of key and value).
     */
    void write(Path out, int turns, boolean compact, long seed, CopyEdit edit) throws IOException {
        Random random = new Random(seed);
        int copies = (turns + turnsPerCopy - 1) / turnsPerCopy;
        long copyStart = templateStart;
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int copy = 0; copy < copies; copy++) {
                double pace = 0.4 + random.nextDouble() * 1.6;
                Map<String, String> ids = new HashMap<>();
                String session = String.format(Locale.ROOT, "synthetic-%06d", copy);
                UnaryOperator<String> id = old -> ids.computeIfAbsent(old, o -> hex(random, o.length()));
                long base = copyStart;
                for (JsonNode line : template) {
                    JsonNode body = line.deepCopy();
                    for (JsonNode node : spans(body)) {
                        ObjectNode span = (ObjectNode) node;
                        span.put("traceId", id.apply(span.get("traceId").asText()));
                        span.put("spanId", id.apply(span.get("spanId").asText()));
                        if (!span.path("parentSpanId").asText("").isEmpty()) {
                            span.put("parentSpanId", id.apply(span.get("parentSpanId").asText()));
                        }
                        span.put("startTimeUnixNano", Long.toString(time(span.get("startTimeUnixNano").asLong(), base, pace)));
                        span.put("endTimeUnixNano", Long.toString(time(span.get("endTimeUnixNano").asLong(), base, pace)));
                        for (JsonNode attribute : span.get("attributes")) {
                            rewrite((ObjectNode) attribute, session, id, base, pace, compact, edit == null ? null : edit.of(copy));
                        }
                    }
                    writer.write(MAPPER.writeValueAsString(body));
                    writer.write('\n');
                }
                copyStart += (long) (templateSpan * pace) + 1_000_000_000L;
            }
        }
    }

    /** Changes one copy's attribute values: (key, value) to the new value. */
    interface CopyEdit {
        java.util.function.BinaryOperator<String> of(int copy);
    }

    private long time(long nanos, long base, double pace) {
        return base + (long) ((nanos - templateStart) * pace);
    }

    private void rewrite(ObjectNode attribute, String session, UnaryOperator<String> id, long base, double pace,
            boolean compact, java.util.function.BinaryOperator<String> edit) throws IOException {
        String key = attribute.get("key").asText();
        ObjectNode value = (ObjectNode) attribute.get("value");
        if (key.equals("langfuse.session.id") || key.equals("session.id")) {
            value.put("stringValue", session);
        } else if (key.endsWith(".linked_from") || key.endsWith(".from_stt") || key.endsWith(".from_llm")) {
            value.put("stringValue", id.apply(value.get("stringValue").asText()));
        } else if (key.endsWith("_ms") && (key.startsWith("langfuse.trace.metadata.")
                || key.startsWith("langfuse.observation.metadata.") || key.startsWith("voicetrace.turn."))) {
            // turn figures are numbers; an observation's metadata is text
            if (value.has("doubleValue")) {
                value.put("doubleValue", Double.parseDouble(scaled(value.get("doubleValue").asText(), pace)));
            } else if (value.has("stringValue")) {
                value.put("stringValue", scaled(value.get("stringValue").asText(), pace));
            }
        } else if (key.equals("langfuse.observation.completion_start_time")) {
            String iso = value.get("stringValue").asText().replace("\"", "");
            Instant instant = Instant.parse(iso);
            long nanos = time(instant.getEpochSecond() * 1_000_000_000L + instant.getNano(), base, pace);
            value.put("stringValue", "\"" + Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L) + "\"");
        } else if (compact && key.equals("langfuse.observation.input") && value.path("stringValue").asText().contains("\"messages\"")) {
            JsonNode input = MAPPER.readTree(value.get("stringValue").asText());
            ArrayNode messages = (ArrayNode) input.get("messages");
            ArrayNode kept = MAPPER.createArrayNode();
            for (int i = Math.max(0, messages.size() - 2); i < messages.size(); i++) {
                kept.add(messages.get(i));
            }
            ((ObjectNode) input).set("messages", kept);
            ((ObjectNode) input).remove("tools");
            value.put("stringValue", MAPPER.writeValueAsString(input));
        }
        if (edit != null && value.has("stringValue")) {
            value.put("stringValue", edit.apply(key, value.get("stringValue").asText()));
        }
    }

    /** Latencies are rounded to microseconds, as the agent writes them. */
    private static String scaled(String millis, double pace) {
        return new java.math.BigDecimal(Math.round(Double.parseDouble(millis) * pace * 1000) / 1000.0)
                .setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static Iterable<JsonNode> spans(JsonNode body) {
        List<JsonNode> spans = new ArrayList<>();
        for (JsonNode resource : body.get("resourceSpans")) {
            for (JsonNode scope : resource.get("scopeSpans")) {
                scope.get("spans").forEach(spans::add);
            }
        }
        return spans;
    }

    private static String hex(Random random, int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SyntheticEvents TEMPLATE OUT TURNS [--compact]");
            System.exit(2);
        }
        SyntheticEvents events = new SyntheticEvents(Paths.get(args[0]));
        int turns = Integer.parseInt(args[2]);
        events.write(Paths.get(args[1]), turns, args.length > 3 && args[3].equals("--compact"), 1, null);
        System.out.println("wrote " + Files.size(Paths.get(args[1])) + " bytes, "
                + ((turns + events.turnsPerCopy() - 1) / events.turnsPerCopy() * events.turnsPerCopy()) + " turns");
    }
}
