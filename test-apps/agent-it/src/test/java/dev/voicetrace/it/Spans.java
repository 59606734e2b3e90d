package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.ReceivedSpan;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Reading what the Langfuse stand-in received: spans, their JSON attributes, their traces. */
final class Spans {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Spans() {}

    /** An attribute that holds JSON text, parsed; fails when the span lacks it. */
    static JsonNode json(ReceivedSpan span, String attribute) throws Exception {
        Object value = span.attribute(attribute);
        assertNotNull(value, () -> span.name() + " lacks " + attribute + ": " + span.attributes());
        return JSON.readTree((String) value);
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> matching = spans.stream().filter(filter).collect(Collectors.toList());
        assertEquals(1, matching.size(), () -> "expected one match among " + names(spans));
        return matching.get(0);
    }

    static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.name() + "@" + s.traceId().substring(0, 6)).collect(Collectors.toList());
    }

    /** Each span's name and trace, with its session and how it was linked: what a linking failure needs. */
    static List<String> linking(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.name() + "@" + s.traceId().substring(0, 6) + "["
                + s.attribute("langfuse.session.id") + ", "
                + s.attribute("langfuse.observation.metadata.linked_by") + "]").collect(Collectors.toList());
    }

    /** The trace whose root span's input is the given transcript. */
    static List<ReceivedSpan> traceWithTranscript(Map<String, List<ReceivedSpan>> traces, String heard)
            throws Exception {
        for (List<ReceivedSpan> trace : traces.values()) {
            for (ReceivedSpan span : trace) {
                if (span.isRoot() && heard.equals(JSON.readValue((String) span.attribute("langfuse.trace.input"),
                        String.class))) {
                    return trace;
                }
            }
        }
        throw new AssertionError("no trace whose input is: " + heard);
    }

    static boolean hasUserMessage(JsonNode messages, String text) {
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText()) && text.equals(message.path("content").asText())) {
                return true;
            }
        }
        return false;
    }
}
