package dev.voicetrace.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive: a task that is
 * never run (rejected, cancelled, dropped by a shutdown) takes its entry with it when collected.
 * Keys' own {@code equals}/{@code hashCode} are never called, so application objects with
 * unusual ones are safe.
 */
final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void put(Object key, V value) {
        expunge();
        entries.put(new WeakKey(key, collected), value);
    }

    V get(Object key) {
        return entries.get(new LookupKey(key));
    }

    V remove(Object key) {
        return entries.remove(new LookupKey(key));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        expunge();
        return entries.size();
    }

    private void expunge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            entries.remove(gone);
        }
    }

    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (other instanceof LookupKey) {
                return ((LookupKey) other).referent == get();
            }
            return other instanceof WeakKey && get() != null && ((WeakKey) other).get() == get();
        }
    }

    /** A short-lived strong key for lookups, equal to the weak key of the same object. */
    private static final class LookupKey {
        final Object referent;
        private final int hash;

        LookupKey(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof WeakKey) {
                return ((WeakKey) other).get() == referent;
            }
            return other instanceof LookupKey && ((LookupKey) other).referent == referent;
        }
    }
}
