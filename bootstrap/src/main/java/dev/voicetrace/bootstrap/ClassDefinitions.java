package dev.voicetrace.bootstrap;

/**
 * Static entry points for advice on {@code ClassLoader.defineClass}: the agent hears of each class
 * a class loader is about to define, by name, before the JVM parses it. The agent uses this to
 * turn its class-file hook on only for the classes it changes. Every method swallows whatever goes
 * wrong: the class is defined regardless.
 */
public final class ClassDefinitions {

    /** The agent's side: told of every definition, it says whether it must see the class file. */
    public interface Gate {
        /**
         * A loader is about to define the class named (binary name, or null when the loader leaves
         * the name to the class file). Returns a token when the agent wants the class, else null.
         */
        Object defining(ClassLoader loader, String name);

        /** The definition that {@link #defining} returned {@code token} for is over, defined or not. */
        void defined(Object token);
    }

    private static volatile Gate gate;
    /** Set once advice has called in: the woven {@code defineClass} methods are in use. */
    private static volatile boolean adviceSeen;

    /** The gate's own work loads classes too: those definitions are not asked about again. */
    private static final ThreadLocal<boolean[]> ASKING = ThreadLocal.withInitial(() -> new boolean[1]);

    private ClassDefinitions() {}

    public static void install(Gate newGate) {
        gate = newGate;
    }

    /** Whether advice on {@code defineClass} has called {@link #defining} since the JVM started. */
    public static boolean adviceSeen() {
        return adviceSeen;
    }

    public static Object defining(ClassLoader loader, String name) {
        if (!adviceSeen) {
            adviceSeen = true;
        }
        Gate current = gate;
        if (current == null) {
            return null;
        }
        boolean[] asking = ASKING.get();
        if (asking[0]) {
            return null;
        }
        asking[0] = true;
        try {
            return current.defining(loader, name);
        } catch (Throwable ignored) {
            return null;
        } finally {
            asking[0] = false;
        }
    }

    public static void defined(Object token) {
        Gate current = gate;
        if (current == null || token == null) {
            return;
        }
        try {
            current.defined(token);
        } catch (Throwable ignored) {
            // the class is defined (or failed) as it would have been
        }
    }
}
