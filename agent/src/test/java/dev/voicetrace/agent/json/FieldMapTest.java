package dev.voicetrace.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact map against the map it replaces, {@code LinkedHashMap}, under the same operations. */
class FieldMapTest {

    @Test
    void behavesAsALinkedHashMapUnderRandomOperations() {
        Random random = new Random(7);
        for (int run = 0; run < 300; run++) {
            FieldMap map = new FieldMap();
            Map<String, JsonNode> reference = new LinkedHashMap<>();
            // Names from a pool a little larger than the compact form holds, so that maps cross
            // into the large form and names are put again and removed.
            int names = 3 + random.nextInt(FieldMap.MAX_SCANNED * 2);
            for (int step = 0; step < 60; step++) {
                // A new string each time: lookups must not depend on the same instance.
                String name = new String(("f" + random.nextInt(names)).toCharArray());
                JsonNode value = IntNode.valueOf(random.nextInt(1000));
                switch (random.nextInt(9)) {
                    case 0, 1, 2 -> assertEquals(reference.put(name, value), map.put(name, value));
                    case 3 -> assertEquals(reference.remove(name), map.remove(name));
                    case 4 -> assertEquals(reference.get(name), map.get(name));
                    case 5 -> {
                        Iterator<Map.Entry<String, JsonNode>> expected = reference.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> actual = map.entrySet().iterator();
                        while (expected.hasNext()) {
                            Map.Entry<String, JsonNode> entry = expected.next();
                            assertEquals(entry, actual.next());
                            if (entry.getKey().equals(name)) {
                                expected.remove();
                                actual.remove();
                            }
                        }
                        assertEquals(false, actual.hasNext());
                    }
                    case 6 -> {
                        for (Map.Entry<String, JsonNode> entry : map.entrySet()) {
                            if (entry.getKey().equals(name)) {
                                assertEquals(reference.get(name), entry.setValue(value));
                                reference.put(name, value);
                            }
                        }
                    }
                    case 7 -> assertEquals(reference.values().removeIf(v -> v.intValue() < 100),
                            map.values().removeIf(v -> v.intValue() < 100));
                    default -> {
                        if (random.nextInt(10) == 0) {
                            reference.clear();
                            map.clear();
                        } else {
                            assertEquals(reference.containsKey(name), map.containsKey(name));
                        }
                    }
                }
                assertSameMap(reference, map);
            }
        }
    }

    private static void assertSameMap(Map<String, JsonNode> expected, FieldMap actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(actual.entrySet()));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        List<String> visited = new ArrayList<>();
        actual.forEach((name, value) -> visited.add(name + "=" + value));
        List<String> expectedVisits = new ArrayList<>();
        expected.forEach((name, value) -> expectedVisits.add(name + "=" + value));
        assertEquals(expectedVisits, visited);
        assertEquals(expected, actual);
        assertEquals(actual, expected);
        assertEquals(expected.hashCode(), actual.hashCode());
    }

    @Test
    void anIteratorNoticesAFieldAddedBesideIt() {
        FieldMap map = new FieldMap();
        map.put("a", IntNode.valueOf(1));
        map.put("b", IntNode.valueOf(2));
        Iterator<Map.Entry<String, JsonNode>> fields = map.entrySet().iterator();
        fields.next();
        map.put("c", IntNode.valueOf(3));
        assertThrows(ConcurrentModificationException.class, fields::next);
        assertThrows(ConcurrentModificationException.class,
                () -> map.forEach((name, value) -> map.remove("c")));
    }

    @Test
    void anEntryOfARemovedFieldDoesNotBringItBack() {
        FieldMap map = new FieldMap();
        map.put("a", IntNode.valueOf(1));
        Map.Entry<String, JsonNode> entry = map.entrySet().iterator().next();
        map.remove("a");
        entry.setValue(IntNode.valueOf(2));
        assertNull(map.get("a"));
        assertEquals(0, map.size());
    }

    @Test
    void treesReadFromBodiesHoldTheirFieldsCompactlyAndEqualTheMappersTrees() throws Exception {
        StringBuilder wide = new StringBuilder("{\"small\":{\"role\":\"user\",\"content\":\"hi\"},\"wide\":{");
        for (int i = 0; i < 2000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        // A name given twice: the last value wins, in the place of the first, as with the mapper.
        wide.append("},\"twice\":1,\"other\":2,\"twice\":3}");
        byte[] document = wide.toString().getBytes(StandardCharsets.UTF_8);
        JsonNode read = Json.read(document);
        assertEquals(new ObjectMapper().readTree(document), read);
        assertEquals("[small, wide, twice, other]", iterableNames(read).toString());
        assertEquals(3, read.get("twice").intValue());
        assertEquals(1999, read.get("wide").get("k1999").intValue());
        assertInstanceOf(FieldMap.class, children((ObjectNode) read.get("small")));
        // Objects made through a node of the tree come from the same factory.
        assertInstanceOf(FieldMap.class, children(((ObjectNode) read).putObject("added")));
        assertInstanceOf(FieldMap.class, children(Json.object()));
        assertSame(read.get("small").get("role"), read.get("small").get(new String("role".toCharArray())));
    }

    private static List<String> iterableNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Object children(ObjectNode node) throws ReflectiveOperationException {
        Field children = ObjectNode.class.getDeclaredField("_children");
        children.setAccessible(true);
        return children.get(node);
    }
}
