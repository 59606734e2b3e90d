package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    @Test
    void writesAJsonValueAsTheTextOfAStringAttribute() throws Exception {
        ObjectNode value = MAPPER.createObjectNode();
        value.putArray("messages").addObject().put("role", "user")
                .put("content", "say \"hi\" \\ then 😀 and é, a tab \t");
        value.put("temperature", 0.5).putNull("stop");
        // Long enough that the generator hands the text over in several writes, with surrogate
        // pairs among them that a write may split.
        value.put("long", "😀x".repeat(9000));
        SpanWriter span = new SpanWriter("t", "s", null, "n", 1, 1, 2);
        span.jsonAttribute("input", value);
        span.jsonAttribute("absent", null);
        JsonNode attributes = MAPPER.readTree(span.finish(1, null)).get("attributes");

        assertEquals(1, attributes.size(), attributes::toString);
        assertEquals("input", attributes.get(0).get("key").asText());
        JsonNode written = MAPPER.readTree(attributes.get(0).at("/value/stringValue").asText());
        // Compared without printing: the text is some 27,000 characters.
        assertTrue(value.equals(written), "the JSON text reads back as the value it was written from");
    }

    @Test
    void writesIntegersOfAnySizeAndRepeatedKeysAlike() throws Exception {
        long[] numbers = {0, 7, 10, 1_234_567_890_123L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (int round = 0; round < 2; round++) {
            SpanWriter span = new SpanWriter("t", "s", null, "n", 1, 0, 1_700_000_000_123_456_789L);
            for (long number : numbers) {
                span.attribute("n \"quoted\" é", number);
            }
            span.attribute("n \"quoted\" é", "as a string");
            JsonNode json = MAPPER.readTree(span.finish(1, null));
            assertEquals("1700000000123456789", json.get("endTimeUnixNano").asText());
            JsonNode attributes = json.get("attributes");
            for (int i = 0; i < numbers.length; i++) {
                assertEquals("n \"quoted\" é", attributes.get(i).get("key").asText(), "round " + round);
                assertEquals(numbers[i], attributes.get(i).at("/value/intValue").asLong(), "round " + round);
            }
            assertEquals("as a string", attributes.get(numbers.length).at("/value/stringValue").asText(),
                    "a key's opening is kept per value type");
        }
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

    /**
     * A JSON value's attribute is written in one pass; it must be byte for byte what writing the
     * value's JSON text (the agent's JSON writer) as a string attribute gives.
     */
    @Test
    void writesAJsonValueInOnePassAsItsTextWouldBeWritten() {
        Random random = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            JsonNode value = randomValue(random, 0);
            SpanWriter onePass = new SpanWriter("t", "s", null, "n", 1, 1, 2);
            onePass.jsonAttribute("k", value);
            byte[] actual = onePass.finish(1, null);
            SpanWriter asText = new SpanWriter("t", "s", null, "n", 1, 1, 2);
            asText.attribute("k", dev.voicetrace.agent.json.Json.write(value));
            byte[] expected = asText.finish(1, null);
            if (!java.util.Arrays.equals(expected, actual)) {
                assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                        "value " + dev.voicetrace.agent.json.Json.write(value));
            }
        }
    }

    /**
     * Flat JSON values (usage, cost, parameters, a time, tags) are written in place; each must be
     * byte for byte the attribute that their JSON text, built as before in a string, gives.
     */
    @Test
    void writesFlatJsonValuesInPlaceAsTheirTextWouldBeWritten() {
        Random random = new Random(12);
        for (int i = 0; i < 3_000; i++) {
            java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                Object[] choices = {randomText(random), random.nextLong(), random.nextInt(), random.nextBoolean(), null,
                    random.nextDouble() * 1e-4, random.nextGaussian() * 1e4, random.nextDouble() * 1e30, Double.NaN,
                    (float) random.nextDouble(), new java.math.BigDecimal("0.0000025"), new StringBuilder(randomText(random))};
                values.put(randomText(random), choices[random.nextInt(choices.length)]);
            }
            String text = randomText(random);
            java.util.List<String> tags = java.util.Arrays.asList(text, randomText(random));

            SpanWriter inPlace = new SpanWriter("t", "s", null, "n", 1, 1, 2);
            inPlace.jsonObjectAttribute("o", values);
            inPlace.jsonStringAttribute("s", text);
            inPlace.jsonStringAttribute("absent", null);
            inPlace.jsonStringArrayAttribute("a", tags);
            SpanWriter asText = new SpanWriter("t", "s", null, "n", 1, 1, 2);
            asText.attribute("o", flatObjectText(values));
            asText.attribute("s", quoted(text));
            StringBuilder array = new StringBuilder("[").append(quoted(tags.get(0))).append(',')
                    .append(quoted(tags.get(1))).append(']');
            asText.attribute("a", array.toString());
            assertEquals(new String(asText.finish(1, null), StandardCharsets.UTF_8),
                    new String(inPlace.finish(1, null), StandardCharsets.UTF_8), values::toString);
        }
    }

    /** The text a flat object had as a string: numbers whole or as {@link Decimals} writes them. */
    private static String flatObjectText(java.util.Map<String, Object> values) {
        StringBuilder out = new StringBuilder("{");
        for (java.util.Map.Entry<String, Object> entry : values.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quoted(entry.getKey())).append(':');
            Object value = entry.getValue();
            if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer) {
                out.append(value);
            } else if (value instanceof Number) {
                out.append(Decimals.toJson(((Number) value).doubleValue()));
            } else {
                out.append(quoted(value.toString()));
            }
        }
        return out.append('}').toString();
    }

    private static String quoted(String text) {
        return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    private static JsonNode randomValue(Random random, int depth) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 3 ? 9 : 12);
        switch (kind) {
            case 0: return nodes.textNode(randomText(random));
            case 1: return nodes.numberNode(random.nextLong());
            case 2: return nodes.numberNode(random.nextInt(100));
            case 3: {
                double[] doubles = {random.nextDouble() * 1000, random.nextGaussian() * 1e-9, random.nextDouble() * 1e25,
                    -0.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e7, 1e-3};
                return nodes.numberNode(doubles[random.nextInt(doubles.length)]);
            }
            case 4: return nodes.numberNode(new java.math.BigInteger(80, random));
            case 5: return nodes.numberNode(new java.math.BigDecimal("12.50"));
            case 6: return nodes.numberNode(random.nextFloat());
            case 7: return random.nextBoolean() ? nodes.booleanNode(random.nextBoolean()) : nodes.nullNode();
            case 8: return nodes.textNode("");
            case 9:
            case 10: {
                ObjectNode object = nodes.objectNode();
                int fields = random.nextInt(5);
                for (int f = 0; f < fields; f++) {
                    object.set(randomText(random), randomValue(random, depth + 1));
                }
                return object;
            }
            default: {
                com.fasterxml.jackson.databind.node.ArrayNode array = nodes.arrayNode();
                int items = random.nextInt(5);
                for (int n = 0; n < items; n++) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
        }
    }

    /** Text with what either escaping handles: quotes, backslashes, controls, accents, pairs and lone surrogates. */
    private static String randomText(Random random) {
        String[] pieces = {"a", "Hello", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\u0000", "\u0001", "\u001b",
            "\u001f", "\u007f", "é", "€", "😀", "\ud83d", "\ude00", "/", "<", "\u2028", "{\"a\":1}"};
        int count = random.nextInt(random.nextInt(10) == 0 ? 3000 : 12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
