package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ItemTruncatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProjectionContext CONTEXT = new ProjectionContext("app", null, null, "test",
            dev.voicetrace.agent.link.IdGenerator.RANDOM, () -> 0L, java.util.List.of());
    /** Spans' long texts are where the OTLP projector puts them, events' where the ingestion one does. */
    private static final OtlpProjector SPANS = new OtlpProjector(CONTEXT);
    private static final IngestionProjector EVENTS = new IngestionProjector(CONTEXT);

    private static ObjectNode span(String input, String output) {
        ObjectNode span = JsonNodeFactory.instance.objectNode();
        span.put("spanId", "00000000000000aa");
        var attributes = span.putArray("attributes");
        attributes.addObject().put("key", "langfuse.observation.input").putObject("value").put("stringValue", input);
        attributes.addObject().put("key", "langfuse.observation.output").putObject("value").put("stringValue", output);
        attributes.addObject().put("key", "langfuse.observation.model.name").putObject("value")
                .put("stringValue", "gpt-4o-mini");
        return span;
    }

    @Test
    void aSpanOverTheLimitLosesTheTailOfItsLongestContentAndIsMarked() throws Exception {
        ObjectNode span = span("x".repeat(200_000), "short reply");
        int size = JSON.writeValueAsBytes(span).length;
        ItemTruncator truncator = new ItemTruncator(50_000);

        assertTrue(truncator.fit(span, size, SPANS));
        byte[] after = JSON.writeValueAsBytes(span);
        assertTrue(after.length <= 50_000, "fits: " + after.length);
        String input = span.get("attributes").get(0).get("value").get("stringValue").asText();
        assertTrue(input.startsWith("xxxx") && input.contains("[truncated by voicetrace: kept"), input.substring(0, 10));
        assertEquals("short reply", span.get("attributes").get(1).get("value").get("stringValue").asText(),
                "the short field is untouched");
        assertEquals("gpt-4o-mini", span.get("attributes").get(2).get("value").get("stringValue").asText());
        assertEquals("langfuse.observation.metadata.truncated", span.get("attributes").get(3).get("key").asText());
    }

    @Test
    void anItemWithinTheLimitIsLeftAlone() throws Exception {
        ObjectNode span = span("hello", "world");
        String before = span.toString();
        assertFalse(new ItemTruncator(50_000).fit(span, JSON.writeValueAsBytes(span).length, SPANS));
        assertEquals(before, span.toString());
    }

    @Test
    void ingestionEventBodiesAreCutToo() throws Exception {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "generation-create");
        ObjectNode body = event.putObject("body");
        body.putObject("input").putArray("messages").addObject().put("role", "user").put("content", "y".repeat(90_000));
        body.putObject("metadata").put("stage", "llm");
        ItemTruncator truncator = new ItemTruncator(20_000);

        assertTrue(truncator.fit(event, JSON.writeValueAsBytes(event).length, EVENTS));
        assertTrue(JSON.writeValueAsBytes(event).length <= 20_000);
        assertTrue(body.get("input").asText().contains("[truncated by voicetrace"));
        assertEquals("true", body.get("metadata").get("truncated").asText());
        assertEquals("llm", body.get("metadata").get("stage").asText());
    }
}
