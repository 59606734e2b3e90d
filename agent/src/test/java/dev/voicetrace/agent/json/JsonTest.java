package dev.voicetrace.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** The reference: what Jackson's own mapper reads. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String DOCUMENT = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"max_tokens\":256,"
            + "\"big\":123456789012345678901234567890,\"long\":9007199254740993,\"stream\":false,\"stop\":null,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Caf\\u00e9 \\\"quoted\\\"\\nnext line 😀\"}],"
            + "\"empty\":{},\"none\":[]}";

    @Test
    void readsWhatJacksonsMapperReads() throws Exception {
        JsonNode expected = MAPPER.readTree(DOCUMENT);
        assertEquals(expected, Json.read(DOCUMENT));
        assertEquals(expected, Json.read(DOCUMENT.getBytes(StandardCharsets.UTF_8)));
        JsonNode read = Json.read(DOCUMENT);
        assertEquals(new BigInteger("123456789012345678901234567890"), read.get("big").bigIntegerValue());
        assertEquals(9007199254740993L, read.get("long").longValue());
    }

    @Test
    void writesWhatReadsBackTheSame() throws Exception {
        JsonNode tree = Json.read(DOCUMENT);
        assertEquals(tree, MAPPER.readTree(Json.write(tree)));
        assertEquals(tree, MAPPER.readTree(Json.writeBytes(tree)));
        assertEquals(MAPPER.writeValueAsString(tree), Json.write(tree), "the same text as Jackson's mapper writes");
    }

    @Test
    void writesNumbersOfEveryKindAndNoNonFiniteOnes() {
        ObjectNode node = Json.object();
        node.put("float", 0.1f);
        node.put("double", 0.1);
        node.put("nan", Double.NaN);
        node.put("decimal", new java.math.BigDecimal("1.50"));
        node.putArray("list").add(1).add(2L);
        assertEquals("{\"float\":0.1,\"double\":0.1,\"nan\":null,\"decimal\":1.50,\"list\":[1,2]}", Json.write(node));
    }

    @Test
    void emptyInputIsNoTreeAndBrokenInputAnError() throws Exception {
        assertNull(Json.read(""));
        assertNull(Json.read(new byte[0]));
        assertThrows(IOException.class, () -> Json.read("{\"a\":"));
        assertThrows(IOException.class, () -> Json.read("{} {}"), "trailing content");
        assertThrows(IOException.class, () -> Json.read("[1,]"));
    }

    @Test
    void readsAndWritesScalarsAndNestingAtTheTopAsJacksonsMapperDoes() throws Exception {
        for (String document : new String[] {"42", "-7.25", "\"text\"", "true", "null", "[]", "{}",
                "[[],[[]],{},[{}]]", "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}},\"e\":[[\"x\"],[]],\"f\":{}}",
                "[{\"a\":1},{\"b\":[2,3]},4,\"five\",[6,[7,[8]]]]"}) {
            JsonNode expected = MAPPER.readTree(document);
            JsonNode read = Json.read(document);
            assertEquals(expected, read, document);
            assertEquals(MAPPER.writeValueAsString(expected), Json.write(read), document);
        }
        assertEquals("null", Json.write(null));
        assertThrows(IOException.class, () -> Json.read("]"));
        assertThrows(IOException.class, () -> Json.read("{\"a\":1,\"b\":[1,2}"));
    }

    /**
     * The agent writes its trees itself: random trees of every kind of node, texts with every
     * control character, pairs and chunks of more than a thousand chars, must come out as
     * Jackson's mapper writes them, as a string and as UTF-8 bytes, and read back as it reads them.
     */
    @Test
    void randomTreesOfEveryKindAreWrittenAndReadAsJacksonsMapperDoes() throws Exception {
        java.util.Random random = new java.util.Random(21);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = anyNode(random, 0);
            String written = Json.write(tree);
            assertEquals(MAPPER.writeValueAsString(tree), written);
            assertEquals(written, new String(Json.writeBytes(tree), StandardCharsets.UTF_8));
            assertEquals(MAPPER.readTree(written), Json.read(written));
            assertEquals(MAPPER.readTree(written), Json.read(written.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void refusesNestingDeeperThanItsLimit() throws Exception {
        String shallow = "[".repeat(100) + "]".repeat(100);
        assertTrue(Json.read(shallow).isArray());
        assertTrue(Json.read("[".repeat(500) + "]".repeat(500)).isArray(), "500 levels are read");
        assertThrows(IOException.class, () -> Json.read("[".repeat(501) + "]".repeat(501)));
        String deepTree = Json.write(Json.read("{\"a\":".repeat(499) + "1" + "}".repeat(499)));
        assertEquals("{\"a\":".repeat(499) + "1" + "}".repeat(499), deepTree);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IOException error = assertThrows(IOException.class, () -> Json.read(deep));
        assertTrue(error.getMessage().contains("nested deeper"), error::getMessage);
    }

    /** A surrogate without its pair has no UTF-8: it is written as U+FFFD, never an error. */
    @Test
    void writesALoneSurrogateAsTheReplacementCharacter() {
        com.fasterxml.jackson.databind.node.ArrayNode array = Json.array();
        array.add("a\ud83d").add("\ude00b").add("\ud83d\ud83d\ude00");
        String expected = "[\"a\ufffd\",\"\ufffdb\",\"\ufffd\ud83d\ude00\"]";
        assertEquals(expected, Json.write(array));
        assertEquals(expected, new String(Json.writeBytes(array), StandardCharsets.UTF_8));
        // The same at the edge of a chunk: a lone high surrogate just before a pair.
        String longText = "x".repeat(1023) + "\ud83d\ud83d\ude00" + "y".repeat(2000);
        assertEquals('"' + "x".repeat(1023) + "\ufffd\ud83d\ude00" + "y".repeat(2000) + '"',
                Json.write(Json.NODES.textNode(longText)));
    }

    private static JsonNode anyNode(java.util.Random random, int depth) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = Json.NODES;
        switch (depth > 4 ? 2 + random.nextInt(9) : random.nextInt(11)) {
            case 0: {
                ObjectNode object = nodes.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(pairedText(random), anyNode(random, depth + 1));
                }
                return object;
            }
            case 1: {
                com.fasterxml.jackson.databind.node.ArrayNode array = nodes.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(anyNode(random, depth + 1));
                }
                return array;
            }
            case 2:
                return nodes.textNode(pairedText(random));
            case 3:
                return random.nextBoolean() ? nodes.numberNode(random.nextLong()) : nodes.numberNode((short) random.nextInt());
            case 4:
                return nodes.numberNode(new BigInteger(80, random).negate().subtract(BigInteger.valueOf(Long.MAX_VALUE)));
            case 5:
                return nodes.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 6:
                return nodes.numberNode(random.nextFloat() * 1e6f);
            case 7:
                return nodes.numberNode(new java.math.BigDecimal(random.nextGaussian()).movePointLeft(random.nextInt(30)));
            case 8: {
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                return nodes.binaryNode(bytes);
            }
            case 9:
                return nodes.booleanNode(random.nextBoolean());
            default:
                return nodes.nullNode();
        }
    }

    /** Text of every control character, quotes, backslashes, 2-, 3- and 4-byte UTF-8; sometimes over a chunk long. */
    private static String pairedText(java.util.Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(random.nextInt(20) == 0 ? 3000 : 12); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0: text.append((char) random.nextInt(0x20)); break;
                case 1: text.append(random.nextBoolean() ? '"' : '\\'); break;
                case 2: text.append((char) (0x80 + random.nextInt(0x780))); break;
                case 3: text.append("\u2028\u20ac\uffff"); break;
                case 4: text.appendCodePoint(0x10000 + random.nextInt(0x100000)); break;
                default: text.append((char) (0x20 + random.nextInt(0x60))); break;
            }
        }
        return text.toString();
    }
}
