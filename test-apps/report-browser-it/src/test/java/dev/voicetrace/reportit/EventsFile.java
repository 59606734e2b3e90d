package dev.voicetrace.reportit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The test's own reading of an events file, with Jackson's tree model and nothing of the agent's:
 * the figures the report must show are worked out here independently.
 */
final class EventsFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Per trace: its observation spans (every span but the root), in file order. */
    final Map<String, List<JsonNode>> observationsByTrace = new LinkedHashMap<>();
    /** Per trace: its root span. */
    final Map<String, JsonNode> rootByTrace = new LinkedHashMap<>();
    final Set<String> sessions = new LinkedHashSet<>();

    static EventsFile read(Path file) throws IOException {
        EventsFile events = new EventsFile();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                for (JsonNode resource : MAPPER.readTree(line).get("resourceSpans")) {
                    for (JsonNode scope : resource.get("scopeSpans")) {
                        for (JsonNode span : scope.get("spans")) {
                            events.add(span);
                        }
                    }
                }
            }
        }
        return events;
    }

    private void add(JsonNode span) {
        String trace = span.get("traceId").asText();
        String session = attribute(span, "langfuse.session.id");
        if (session != null) {
            sessions.add(session);
        }
        if (span.path("parentSpanId").asText("").isEmpty()) {
            rootByTrace.put(trace, span);
            observationsByTrace.computeIfAbsent(trace, t -> new ArrayList<>());
        } else {
            observationsByTrace.computeIfAbsent(trace, t -> new ArrayList<>()).add(span);
        }
    }

    static String attribute(JsonNode span, String key) {
        for (JsonNode attribute : span.get("attributes")) {
            if (attribute.get("key").asText().equals(key)) {
                JsonNode value = attribute.get("value");
                return value.fields().next().getValue().asText();
            }
        }
        return null;
    }

    /** A turn figure from every root span that has it, e.g. {@code voice_to_voice_ms}. */
    List<Double> figure(String name) {
        List<Double> values = new ArrayList<>();
        for (JsonNode root : rootByTrace.values()) {
            String value = attribute(root, "langfuse.trace.metadata." + name);
            if (value != null) {
                values.add(Double.parseDouble(value));
            }
        }
        return values;
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    static String millis(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }
}
