package dev.voicetrace.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader against the reference, Jackson's own mapper, on the same bytes. */
class JsonTreeReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What the mapper reads, or null when it refuses the document. */
    private static JsonNode reference(byte[] document) {
        try {
            return MAPPER.readTree(document);
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode read(byte[] document) throws IOException {
        return JsonTreeReader.read(document, 0, document.length);
    }

    @Test
    void numbersGetTheNodeTypesTheMapperGives() throws Exception {
        String[] numbers = {"0", "-0", "7", "-7", "2147483647", "-2147483648", "2147483648", "-2147483649",
            "999999999999999999", "-999999999999999999", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "0.5", "-0.0",
            "1e3", "1E+3", "2.5e-3", "-1.25E10", "1e400", "4.9e-325", "0.1", "3.141592653589793238462643383279"};
        for (String number : numbers) {
            byte[] document = ("[" + number + "]").getBytes(StandardCharsets.US_ASCII);
            JsonNode expected = reference(document);
            JsonNode read = read(document);
            assertEquals(expected, read, number);
            assertEquals(expected.get(0).getClass(), read.get(0).getClass(), number);
        }
        byte[] belowLong = "-9223372036854775809".getBytes(StandardCharsets.US_ASCII);
        assertEquals(new BigInteger("-9223372036854775809"), read(belowLong).bigIntegerValue());
    }

    @Test
    void stringsWithEveryKindOfEscapeAndCharacter() throws Exception {
        String[] documents = {
            "\"\"", "\"plain\"", "\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
            "\"\\u0000\\u001f\\u00e9\\u4E2D\"", "\"\\ud83d\\ude00 pair, \\ud83d lone\"",
            "\"a\\nb\u00e9\\tc\u4e2d\\\\\"",
            "{\"\\u006bey\":\"v\",\"k\u00e9y\":1,\"\":2}"};
        for (String document : documents) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertEquals(reference(bytes), read(bytes), document);
        }
    }

    @Test
    void keepsAnEscapedHalfOfASurrogatePairThatTheMapperRefusesInANameOnly() throws Exception {
        byte[] lone = "{\"\\ud83d?\":\"\\ude00!\"}".getBytes(StandardCharsets.US_ASCII);
        assertNull(reference(lone), "the mapper refuses a broken pair in a name");
        JsonNode read = read(lone);
        assertEquals("\ude00!", read.get("\ud83d?").textValue());
    }

    @Test
    void refusesWhatTheMapperRefuses() {
        String[] broken = {"{", "[", "]", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{a:1}", "{'a':1}",
            "[1 2]", "01", "-", "1.", ".5", "1e", "1e+", "+1", "-01", "tru", "nul", "truex", "nulll", "[true false]",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"", "\"line\nbreak\"",
            "{} {}", "[1] 2", "NaN", "Infinity", "[-Infinity]", "/* c */ 1", "{\"a\":1 \"b\":2}", "[,1]",
            "{\"a\":1,,\"b\":2}", "\u000b1", "[1]\u000c"};
        for (String document : broken) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertNull(reference(bytes), "the mapper refuses " + document);
            assertThrows(IOException.class, () -> read(bytes), document);
        }
    }

    @Test
    void emptyInputIsNoTreeAndAByteOrderMarkIsSkipped() throws Exception {
        assertNull(read(new byte[0]));
        assertNull(read(" \n\t\r ".getBytes(StandardCharsets.US_ASCII)));
        byte[] marked = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '"', 'a', '"', ':', '1', '}'};
        assertEquals(reference(marked), read(marked));
    }

    @Test
    void readsTheDocumentBetweenOffsetAndLengthOnly() throws Exception {
        byte[] framed = "garbage{\"a\":[1,2]}garbage".getBytes(StandardCharsets.US_ASCII);
        assertEquals(MAPPER.readTree("{\"a\":[1,2]}"), JsonTreeReader.read(framed, 7, 11));
        assertThrows(IOException.class, () -> JsonTreeReader.read(framed, 7, 10), "cut short");
        assertThrows(IndexOutOfBoundsException.class, () -> JsonTreeReader.read(framed, 20, 11));
    }

    @Test
    void refusesNumbersLongerThanAThousandCharacters() throws Exception {
        byte[] longest = ("1" + "0".repeat(999)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(BigInteger.TEN.pow(999), read(longest).bigIntegerValue());
        byte[] tooLong = ("1" + "0".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        IOException error = assertThrows(IOException.class, () -> read(tooLong));
        assertTrue(error.getMessage().contains("longer than 1000"), error::getMessage);
    }

    @Test
    void errorsSayWhereTheyAre() {
        IOException error = assertThrows(IOException.class,
                () -> read("{\"a\":[1,2}".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("unexpected character '}', ',' or ']' expected at byte 9", error.getMessage());
    }

    @Test
    void aShortAsciiFieldNameReadAgainIsTheStringReadBefore() throws Exception {
        JsonNode first = read("{\"finish_reason\":\"stop\",\"x\":1}".getBytes(StandardCharsets.US_ASCII));
        JsonNode second = read("{ \"finish_reason\" : \"length\"}".getBytes(StandardCharsets.US_ASCII));
        assertSame(first.fieldNames().next(), second.fieldNames().next());
        // Not for names the reader decodes each time: escaped, beyond ASCII, or long.
        String escaped = "{\"fin\\u0069sh\":1}";
        assertNotSame(read(escaped.getBytes(StandardCharsets.US_ASCII)).fieldNames().next(),
                read(escaped.getBytes(StandardCharsets.US_ASCII)).fieldNames().next());
        String wide = "{\"Überschrift\":1}";
        assertEquals("Überschrift", read(wide.getBytes(StandardCharsets.UTF_8)).fieldNames().next());
        String longName = "n".repeat(41);
        assertEquals(longName, read(("{\"" + longName + "\":1}").getBytes(StandardCharsets.US_ASCII))
                .fieldNames().next());
    }

    /**
     * Many more distinct names than the table of names read before has slots, so that names share
     * slots and replace each other, each read in turn with the names read last: every one reads as
     * itself, the empty name too.
     */
    @Test
    void namesThatShareASlotEachReadAsThemselves() throws Exception {
        Random random = new Random(5);
        String[] names = new String[3000];
        names[0] = "";
        for (int i = 1; i < names.length; i++) {
            StringBuilder name = new StringBuilder();
            for (int c = random.nextInt(12); c >= 0; c--) {
                name.append((char) (' ' + random.nextInt(95)));
            }
            names[i] = name.toString();
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int from = 0; from < names.length; from += 50) {
                ObjectNode expected = NODES.objectNode();
                for (int i = from; i < from + 50; i++) {
                    expected.put(names[i], i);
                }
                byte[] document = MAPPER.writeValueAsBytes(expected);
                assertEquals(expected, read(document));
                assertEquals(reference(document), read(document));
            }
        }
    }

    /** Random trees written by the mapper and by a writer that escapes and spaces at random. */
    @Test
    void randomDocumentsReadAsTheMapperReadsThem() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = randomNode(random, 0);
            byte[] compact = MAPPER.writeValueAsBytes(tree);
            assertEquals(reference(compact), read(compact), () -> new String(compact, StandardCharsets.UTF_8));
            StringBuilder loose = new StringBuilder();
            writeLoosely(tree, random, loose);
            byte[] spaced = loose.toString().getBytes(StandardCharsets.UTF_8);
            JsonNode expected = reference(spaced);
            assertTrue(expected != null, loose::toString);
            assertEquals(expected, read(spaced), loose::toString);
        }
    }

    /**
     * Valid documents changed at one ASCII byte (deleted, replaced or preceded by a character that
     * matters to the grammar): whatever the mapper makes of each, the reader makes the same, or
     * refuses it as the mapper does.
     */
    @Test
    void damagedDocumentsAreReadOrRefusedAsTheMapperDoes() throws Exception {
        Random random = new Random(23);
        byte[] alphabet = "{}[],:\"\\0123456789-+.eEtrufalsn /x\t".getBytes(StandardCharsets.US_ASCII);
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            writeLoosely(randomNode(random, 3), random, text);
            byte[] valid = text.toString().getBytes(StandardCharsets.UTF_8);
            int position = random.nextInt(valid.length);
            if (valid[position] < 0) {
                continue; // part of a multi-byte character: the damage would be invalid UTF-8
            }
            byte[] damaged;
            byte replacement = alphabet[random.nextInt(alphabet.length)];
            switch (random.nextInt(3)) {
                case 0:
                    damaged = new byte[valid.length - 1];
                    System.arraycopy(valid, 0, damaged, 0, position);
                    System.arraycopy(valid, position + 1, damaged, position, valid.length - position - 1);
                    break;
                case 1:
                    damaged = valid.clone();
                    damaged[position] = replacement;
                    break;
                default:
                    damaged = new byte[valid.length + 1];
                    System.arraycopy(valid, 0, damaged, 0, position);
                    damaged[position] = replacement;
                    System.arraycopy(valid, position, damaged, position + 1, valid.length - position);
                    break;
            }
            String shown = new String(damaged, StandardCharsets.UTF_8);
            JsonNode expected;
            try {
                expected = MAPPER.readTree(damaged);
            } catch (IOException refusal) {
                refused++;
                try {
                    JsonNode read = read(damaged);
                    // The one refusal the reader does not share: an escaped half of a surrogate
                    // pair without the other half is kept as the character it names.
                    assertTrue(read == null || refusal.getMessage().contains("surrogate"),
                            () -> "read what the mapper refuses (" + refusal.getMessage() + "): " + shown);
                } catch (IOException alsoRefused) {
                    // as the mapper
                }
                continue;
            }
            if (expected.isMissingNode()) {
                assertNull(read(damaged), shown);
            } else {
                assertEquals(expected, read(damaged), shown);
            }
        }
        assertTrue(refused > 1_000, "most damage breaks a document: " + refused);
    }

    private static JsonNode randomNode(Random random, int depth) {
        switch (depth > 5 ? 2 + random.nextInt(6) : random.nextInt(8)) {
            case 0: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(randomText(random, 20), randomNode(random, depth + 1));
                }
                return object;
            }
            case 1: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomNode(random, depth + 1));
                }
                return array;
            }
            case 2:
            case 3:
                return NODES.textNode(randomText(random, 40));
            case 4:
                switch (random.nextInt(4)) {
                    case 0:
                        return NODES.numberNode(random.nextInt(2000) - 1000);
                    case 1:
                        return NODES.numberNode(random.nextInt());
                    case 2:
                        return NODES.numberNode(random.nextLong());
                    default:
                        return NODES.numberNode(new BigInteger(70 + random.nextInt(60), random).negate());
                }
            case 5:
                return NODES.numberNode(random.nextBoolean()
                        ? random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) : -random.nextInt(1000) / 8.0);
            case 6:
                return NODES.booleanNode(random.nextBoolean());
            default:
                return NODES.nullNode();
        }
    }

    /** Text of ASCII, controls, Latin-1, CJK, supplementary characters and the two that need escapes. */
    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength); i > 0; i--) {
            switch (random.nextInt(8)) {
                case 0:
                    text.append((char) random.nextInt(0x20));
                    break;
                case 1:
                    text.append(random.nextBoolean() ? '"' : '\\');
                    break;
                case 2:
                    text.append((char) (0xA0 + random.nextInt(0x60)));
                    break;
                case 3:
                    text.append((char) (0x4E00 + random.nextInt(0x500)));
                    break;
                case 4:
                    text.appendCodePoint(0x1F600 + random.nextInt(0x40));
                    break;
                default:
                    text.append((char) (0x20 + random.nextInt(0x5F)));
                    break;
            }
        }
        return text.toString();
    }

    /** JSON text of {@code node} with white space between tokens and characters escaped at random. */
    private static void writeLoosely(JsonNode node, Random random, StringBuilder out) {
        space(random, out);
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (java.util.Map.Entry<String, JsonNode> field : node.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                space(random, out);
                quote(field.getKey(), random, out);
                space(random, out);
                out.append(':');
                writeLoosely(field.getValue(), random, out);
            }
            space(random, out);
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeLoosely(node.get(i), random, out);
            }
            space(random, out);
            out.append(']');
        } else if (node.isTextual()) {
            quote(node.textValue(), random, out);
        } else if (node.isDouble() && random.nextBoolean()) {
            // The same double in exponent form, as other writers put it.
            out.append(String.format(java.util.Locale.ROOT, "%.17e", node.doubleValue()));
        } else {
            out.append(node.toString());
        }
        space(random, out);
    }

    private static void quote(String text, Random random, StringBuilder out) {
        out.append('"');
        boolean escapeLowSurrogate = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = c < 0x20 || (Character.isLowSurrogate(c) ? escapeLowSurrogate : random.nextInt(10) == 0);
            // Both halves of a pair escaped or neither: one escaped half alone is text the mapper refuses.
            escapeLowSurrogate = Character.isHighSurrogate(c) && escape;
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (escape) {
                out.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            } else if (c == '/' && random.nextBoolean()) {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static void space(Random random, StringBuilder out) {
        for (int i = random.nextInt(4) == 0 ? random.nextInt(3) + 1 : 0; i > 0; i--) {
            out.append(" \n\r\t".charAt(random.nextInt(4)));
        }
    }
}
