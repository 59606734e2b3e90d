package dev.voicetrace.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that keep Langfuse's numbers right, each shown failing on the payload it guards against. */
class LangfuseNumbersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> details(String usage, String cost) throws Exception {
        return LangfuseNumbers.checkDetails("obs", usage == null ? null : JSON.readTree(usage),
                cost == null ? null : JSON.readTree(cost));
    }

    @Test
    void disjointTokenBucketsThatAddUpPass() throws Exception {
        assertEquals(List.of(), details(
                "{\"input\":4,\"input_audio_tokens\":10,\"output\":21,\"total\":35}",
                "{\"input\":0.00001,\"input_audio_tokens\":0.00006,\"output\":0.0002,\"total\":0.00027}"));
        assertEquals(List.of(), details(null, "{\"characters\":0.0003,\"total\":0.0003}"));
        assertEquals(List.of(), details(null, "{\"audio\":0.006,\"total\":0.006}"));
    }

    @Test
    void anInclusiveInputBesideItsAudioPartIsCountedTwice() throws Exception {
        List<String> errors = details(
                "{\"input\":10,\"output\":21,\"total\":31,\"input_audio_tokens\":10,\"input_text_tokens\":0}", null);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("usage total 31 is not the sum 41"), errors::toString);
    }

    @Test
    void charactersAndSecondsAreNotTokens() throws Exception {
        List<String> errors = details("{\"input_characters\":42,\"total\":42}", null);
        assertTrue(errors.toString().contains("input_characters is not a token count"), errors::toString);
        errors = details("{\"input_audio_seconds\":2.5,\"total\":2}", null);
        assertTrue(errors.toString().contains("not a non-negative integer"), errors::toString);
    }

    @Test
    void usageNeedsItsTotalAndNoNegativeCounts() throws Exception {
        assertTrue(details("{\"input\":3,\"output\":2}", null).toString().contains("usage has no total"));
        assertTrue(details("{\"input\":-3,\"total\":0}", null).toString().contains("not a non-negative integer"));
    }

    @Test
    void costMustAddUpAndPriceTheUsageSent() throws Exception {
        List<String> errors = details("{\"input\":10,\"total\":10}", "{\"input\":0.1,\"total\":0.2}");
        assertTrue(errors.toString().contains("cost total 0.2 is not the sum"), errors::toString);
        errors = details("{\"input\":10,\"total\":10}", "{\"input\":0.1,\"input_cached_tokens\":0.1,\"total\":0.2}");
        assertTrue(errors.toString().contains("input_cached_tokens prices no usage bucket"), errors::toString);
        assertTrue(details(null, "{\"audio\":0.1}").toString().contains("cost has no total"));
    }

    @Test
    void everySpanNamesItsTraceAndRootsAddUpTheirObservations() throws Exception {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode spans = request.putArray("resourceSpans").addObject().putArray("scopeSpans").addObject()
                .putArray("spans");
        ObjectNode root = span(spans, "r1", null);
        attr(root, "langfuse.trace.name", "stringValue", "voice-turn");
        attr(root, "langfuse.trace.metadata.total_tokens", "intValue", 30);
        attr(root, "langfuse.trace.metadata.total_cost_usd", "doubleValue", 0.5);
        ObjectNode named = span(spans, "c1", "r1");
        attr(named, "langfuse.trace.name", "stringValue", "voice-turn");
        attr(named, "langfuse.observation.usage_details", "stringValue", "{\"input\":10,\"output\":10,\"total\":20}");
        attr(named, "langfuse.observation.cost_details", "stringValue", "{\"input\":0.1,\"output\":0.1,\"total\":0.2}");
        ObjectNode nameless = span(spans, "c2", "r1");
        List<ReceivedSpan> received = OtlpJsonFlattener.flatten(request, 0);

        assertEquals(List.of(), LangfuseNumbers.checkSpan(received.get(1)));
        List<String> nameErrors = LangfuseNumbers.checkSpan(received.get(2));
        assertTrue(nameErrors.toString().contains("no langfuse.trace.name"), nameErrors::toString);
        List<String> totals = LangfuseNumbers.checkTurnTotals(received);
        assertEquals(2, totals.size(), totals::toString);
        assertTrue(totals.get(0).contains("total_tokens 30 is not the 20"), totals::toString);
        assertTrue(totals.get(1).contains("total_cost_usd 0.5 is not the 0.2"), totals::toString);
        assertTrue(nameless.isObject());
    }

    @Test
    void aTurnWhoseObservationsDidNotAllArriveIsNotCompared() {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode spans = request.putArray("resourceSpans").addObject().putArray("scopeSpans").addObject()
                .putArray("spans");
        ObjectNode root = span(spans, "r1", null);
        attr(root, "langfuse.trace.metadata.total_tokens", "intValue", 30);
        attr(root, "langfuse.trace.metadata.total_cost_usd", "doubleValue", 0.5);
        attr(root, "voicetrace.turn.observations", "intValue", 2);
        ObjectNode child = span(spans, "c1", "r1");
        attr(child, "langfuse.observation.usage_details", "stringValue", "{\"input\":10,\"total\":10}");
        List<ReceivedSpan> received = OtlpJsonFlattener.flatten(request, 0);
        assertEquals(List.of(), LangfuseNumbers.checkTurnTotals(received), "one of two observations was dropped");

        attr(root, "voicetrace.turn.observations", "intValue", 1);
        List<String> errors = LangfuseNumbers.checkTurnTotals(OtlpJsonFlattener.flatten(request, 0));
        assertTrue(errors.toString().contains("total_tokens 30 is not the 10"), errors::toString);
    }

    private static ObjectNode span(ArrayNode spans, String id, String parent) {
        ObjectNode span = spans.addObject().put("traceId", "t1").put("spanId", id).put("name", "s-" + id);
        if (parent != null) {
            span.put("parentSpanId", parent);
        }
        span.putArray("attributes");
        return span;
    }

    private static void attr(ObjectNode span, String key, String type, Object value) {
        ObjectNode v = ((ArrayNode) span.get("attributes")).addObject().put("key", key).putObject("value");
        if (value instanceof String) {
            v.put(type, (String) value);
        } else if (value instanceof Integer) {
            v.put(type, (Integer) value);
        } else {
            v.put(type, (Double) value);
        }
    }

    @Test
    void ingestionEventsAreCheckedToo() throws Exception {
        JsonNode event = JSON.readTree("{\"type\":\"generation-create\",\"body\":{\"id\":\"g1\","
                + "\"usageDetails\":{\"input\":10,\"input_characters\":5,\"total\":15}}}");
        assertTrue(LangfuseNumbers.checkIngestionEvent(event).toString().contains("input_characters"));
    }
}
