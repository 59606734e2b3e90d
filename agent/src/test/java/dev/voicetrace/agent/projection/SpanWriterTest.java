package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void writesTheSpanShapeWithEveryAttributeType() throws Exception {
        SpanWriter span = new SpanWriter("t1", "s1", "p1", "chat gpt-4o", 3, 100, 50);
        span.attribute("text", "hello");
        span.attribute("absent", (String) null);
        span.attribute("count", 42L);
        span.attribute("ratio", 0.25);
        span.attribute("not a number", Double.NaN);
        JsonNode json = MAPPER.readTree(span.finish(2, "boom"));

        assertEquals("t1", json.get("traceId").asText());
        assertEquals("p1", json.get("parentSpanId").asText());
        assertEquals(3, json.get("kind").asInt());
        assertEquals("100", json.get("startTimeUnixNano").asText());
        assertEquals("100", json.get("endTimeUnixNano").asText(), "an end before the start is clamped");
        JsonNode attributes = json.get("attributes");
        assertEquals(3, attributes.size(), attributes::toString);
        assertEquals("hello", attributes.get(0).at("/value/stringValue").asText());
        assertEquals(42, attributes.get(1).at("/value/intValue").asLong());
        assertEquals(0.25, attributes.get(2).at("/value/doubleValue").asDouble());
        assertEquals(2, json.at("/status/code").asInt());
        assertEquals("boom", json.at("/status/message").asText());
    }

    @Test
    void leavesOutTheParentOfARootSpan() throws Exception {
        JsonNode json = MAPPER.readTree(new SpanWriter("t", "s", null, "turn", 1, 1, 2).finish(1, null));
        assertFalse(json.has("parentSpanId"));
        assertFalse(json.get("status").has("message"));
        assertEquals(0, json.get("attributes").size());
    }

    @Test
    void escapesAndEncodesAnyTextAsJacksonReadsItBack() throws Exception {
        String[] texts = {
            "quote \" backslash \\ slash / tab \t newline \n return \r",
            "controls \u0000 \u0001 \u001f \b \f",
            "accents é ü ñ, CJK 你好, emoji 😀 and 👍🏽",
            "lone high \ud83d then text, lone low \ude00 at the end \ud83d",
        };
        for (String text : texts) {
            assertEquals(expectedRoundTrip(text), roundTrip(text));
        }
    }

    @Test
    void encodesLongTextAcrossItsChunks() throws Exception {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        int[] pool = {'a', '"', '\n', 'é', '你', 0x1F600, 0x01};
        while (text.length() < 10_000) {
            text.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        assertEquals(text.toString(), roundTrip(text.toString()));
        String emojis = "😀".repeat(3000);
        assertEquals(emojis, roundTrip(emojis), "surrogate pairs that straddle a chunk boundary stay whole");
    }

    private static String roundTrip(String text) throws Exception {
        SpanWriter span = new SpanWriter("t", "s", null, "n", 1, 1, 2);
        span.attribute("k", text);
        byte[] bytes = span.finish(1, null);
        // Valid UTF-8 decodes the same strictly and leniently.
        assertEquals(new String(bytes, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        return MAPPER.readTree(bytes).at("/attributes/0/value/stringValue").asText();
    }

    /** Lone surrogates cannot be encoded in UTF-8: they become U+FFFD. */
    private static String expectedRoundTrip(String text) {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                expected.append(c).append(text.charAt(++i));
            } else {
                expected.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return expected.toString();
    }
}
