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
    void refusesNestingDeeperThanItsLimit() throws Exception {
        String shallow = "[".repeat(100) + "]".repeat(100);
        assertTrue(Json.read(shallow).isArray());
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IOException error = assertThrows(IOException.class, () -> Json.read(deep));
        assertTrue(error.getMessage().contains("nested deeper"), error::getMessage);
    }
}
