package dev.voicetrace.bootstrap;

import java.lang.ref.WeakReference;

/**
 * A small identity map for per-frame lookups: reads take no lock and allocate nothing (the key's
 * identity hash, a probe of an array); writes, rare (a socket opening or ending), copy the table.
 * Keys are weakly held, so an entry whose key was never removed vanishes at a later write.
 */
final class IdentityTable<V> {

    private static final Object[] EMPTY = new Object[0];

    /** Alternating weak keys and values, open addressing with linear probing; length a power of two (times two). */
    private volatile Object[] table = EMPTY;
    private int size;

    @SuppressWarnings("unchecked")
    V get(Object key) {
        Object[] current = table;
        if (current.length == 0) {
            return null;
        }
        int slots = current.length >> 1;
        int mask = slots - 1;
        for (int i = System.identityHashCode(key) & mask; ; i = (i + 1) & mask) {
            Object ref = current[i << 1];
            if (ref == null) {
                return null;
            }
            if (((WeakReference<?>) ref).get() == key) {
                return (V) current[(i << 1) + 1];
            }
        }
    }

    boolean isEmpty() {
        return table.length == 0;
    }

    synchronized void put(Object key, V value) {
        rebuild(key, value, null);
    }

    synchronized void remove(Object key) {
        rebuild(null, null, key);
    }

    /** A new table with the live entries, plus {@code added}, minus {@code removed}. */
    private void rebuild(Object added, V value, Object removed) {
        Object[] old = table;
        int live = added == null ? 0 : 1;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null) {
                Object key = ((WeakReference<?>) old[i]).get();
                if (key != null && key != removed && key != added) {
                    live++;
                }
            }
        }
        if (live == 0) {
            table = EMPTY;
            size = 0;
            return;
        }
        int slots = Integer.highestOneBit(Math.max(4, live * 2 - 1)) << 1;
        Object[] fresh = new Object[slots * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null) {
                Object key = ((WeakReference<?>) old[i]).get();
                if (key != null && key != removed && key != added) {
                    insert(fresh, old[i], key, old[i + 1]);
                }
            }
        }
        if (added != null) {
            insert(fresh, new WeakReference<>(added), added, value);
        }
        size = live;
        table = fresh;
    }

    private static void insert(Object[] table, Object ref, Object key, Object value) {
        int mask = (table.length >> 1) - 1;
        int i = System.identityHashCode(key) & mask;
        while (table[i << 1] != null) {
            i = (i + 1) & mask;
        }
        table[i << 1] = ref;
        table[(i << 1) + 1] = value;
    }

    synchronized int size() {
        return size;
    }
}
