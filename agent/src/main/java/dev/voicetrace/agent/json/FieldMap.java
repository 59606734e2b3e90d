package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of an object in the agent's JSON trees, in the order they were added, as a Jackson
 * {@code ObjectNode} holds them in its map.
 *
 * <p>Why not the {@code LinkedHashMap} Jackson gives each object: the bodies of API calls are
 * made of small objects (a message's role and content, a usage block's three counts), and for
 * them the hash map's header, its 16-slot table and 40 bytes per field were the largest share of
 * what reading a body allocated: some 250 bytes for an object of three fields. Here the names and
 * values sit in one array, name then value, grown by half when full, and a name is found by
 * comparing it with each (the names of a document read by {@link JsonTreeReader} are mostly the
 * same string instances, compared by reference). Past {@value #MAX_SCANNED} fields, where
 * comparing each name would make reading a large object quadratic, the fields move into a
 * {@code LinkedHashMap} for good.
 *
 * <p>An entry given by the iterators holds the field's name and value as they were when it was
 * given; {@code setValue} also sets the field's value in the map, unless the field was removed
 * since. (Entries kept in the array, as a hash map keeps its own, cost more than they save: a
 * tree is walked about once after it is read.) Not thread-safe, as Jackson's map is not.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {

    /**
     * Enough for the objects of API bodies, a streamed chunk's nine or ten fields included; a
     * name looked up among this many is mostly found by reference.
     */
    static final int MAX_SCANNED = 16;
    private static final int FIRST_CAPACITY = 4;

    /** Names at even indexes, each followed by its value; null until the first field. */
    private Object[] slots;
    private int size;
    /** Every change of the fields' number or order, for iterators to notice one made beside them. */
    private int modifications;
    /** The fields, once there are more than {@link #MAX_SCANNED}; then {@code slots} is unused. */
    private Map<String, JsonNode> large;
    private Set<Map.Entry<String, JsonNode>> entries;

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public boolean containsKey(Object name) {
        return large != null ? large.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public JsonNode get(Object name) {
        if (large != null) {
            return large.get(name);
        }
        int index = indexOf(name);
        return index < 0 ? null : (JsonNode) slots[index + 1];
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        if (large != null) {
            return large.put(name, value);
        }
        int index = indexOf(name);
        if (index >= 0) {
            JsonNode previous = (JsonNode) slots[index + 1];
            slots[index + 1] = value;
            return previous;
        }
        modifications++;
        if (size == MAX_SCANNED) {
            large = new LinkedHashMap<>(MAX_SCANNED * 2);
            for (int i = 0; i < size * 2; i += 2) {
                large.put((String) slots[i], (JsonNode) slots[i + 1]);
            }
            slots = null;
            size = 0;
            return large.put(name, value);
        }
        if (slots == null) {
            slots = new Object[FIRST_CAPACITY * 2];
        } else if (size * 2 == slots.length) {
            slots = java.util.Arrays.copyOf(slots, Math.min(MAX_SCANNED, size + (size >> 1)) * 2);
        }
        slots[size * 2] = name;
        slots[size * 2 + 1] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode remove(Object name) {
        if (large != null) {
            return large.remove(name);
        }
        int index = indexOf(name);
        if (index < 0) {
            return null;
        }
        JsonNode removed = (JsonNode) slots[index + 1];
        removeAt(index);
        return removed;
    }

    @Override
    public void clear() {
        modifications++;
        large = null;
        slots = null;
        size = 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
        if (large != null) {
            large.forEach(action);
            return;
        }
        int expected = modifications;
        for (int i = 0; i < size * 2; i += 2) {
            action.accept((String) slots[i], (JsonNode) slots[i + 1]);
            if (modifications != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        if (entries == null) {
            entries = new Entries();
        }
        return entries;
    }

    /** The slot of the field's name, or -1. */
    private int indexOf(Object name) {
        if (name == null) {
            return -1;
        }
        Object[] names = slots;
        for (int i = 0; i < size * 2; i += 2) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < size * 2; i += 2) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int index) {
        int end = size * 2;
        System.arraycopy(slots, index + 2, slots, index, end - index - 2);
        slots[end - 2] = null;
        slots[end - 1] = null;
        size--;
        modifications++;
    }

    /** A view of the fields that follows the map from small to large. */
    private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
        @Override
        public int size() {
            return FieldMap.this.size();
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> iterator() {
            return large != null ? large.entrySet().iterator() : new Fields();
        }

        @Override
        public void clear() {
            FieldMap.this.clear();
        }
    }

    private final class Fields implements Iterator<Map.Entry<String, JsonNode>> {
        private int next;
        private int last = -1;
        private int expected = modifications;

        @Override
        public boolean hasNext() {
            return next < size * 2 && large == null;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            if (modifications != expected) {
                throw new ConcurrentModificationException();
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next;
            next += 2;
            return new Field((String) slots[last], (JsonNode) slots[last + 1]);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (modifications != expected) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modifications;
        }
    }

    private final class Field extends AbstractMap.SimpleEntry<String, JsonNode> {
        Field(String name, JsonNode value) {
            super(name, value);
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            if (containsKey(getKey())) {
                FieldMap.this.put(getKey(), value); // a field removed since stays removed
            }
            return super.setValue(value);
        }
    }
}
