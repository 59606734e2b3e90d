package dev.voicetrace.agent.capture;

import dev.voicetrace.agent.AgentLog;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way the agent reads SDK and framework objects it cannot link to: public no-argument
 * methods by name, looked up once per class ({@link ClassValue}, so an unloaded SDK's classes are
 * not held), {@link Optional} unwrapped. A member an extractor reads that the object's class does
 * not have is SDK drift (a newer or older library than the one the reader was written for): it is
 * logged once per class and member and counted in {@link #driftCount()} (the shutdown line's and
 * JMX's {@code sdk_drift}), and reads as null so that the rest of the call is still recorded.
 * {@link #probe} is for members that exist in some versions only, whose absence is expected.
 */
public final class SdkMembers {

    private static final Method NONE;

    static {
        try {
            NONE = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<Map<String, Method>>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private static final Field NO_FIELD;

    static {
        try {
            NO_FIELD = SdkMembers.class.getDeclaredField("DRIFT");
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ClassValue<Map<String, Field>> FIELDS = new ClassValue<Map<String, Field>>() {
        @Override
        protected Map<String, Field> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private static final Set<String> REPORTED = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private static final AtomicLong DRIFT = new AtomicLong();

    private SdkMembers() {}

    /** {@code target.name()}, Optional unwrapped; null when absent (reported as drift) or failing. */
    public static Object get(Object target, String name) {
        if (target == null) {
            return null;
        }
        Method method = method(target.getClass(), name);
        if (method == null) {
            drifted(target.getClass(), name);
            return null;
        }
        return call(method, target);
    }

    /** Like {@link #get} for a member some versions of the library lack: its absence is not drift. */
    public static Object probe(Object target, String name) {
        if (target == null) {
            return null;
        }
        Method method = method(target.getClass(), name);
        return method == null ? null : call(method, target);
    }

    /**
     * The first of {@code names} that reads as non-null; names a library spells differently across
     * versions. Drift only when the class has none of them.
     */
    public static Object first(Object target, String... names) {
        if (target == null) {
            return null;
        }
        boolean anyPresent = false;
        for (String name : names) {
            Method method = method(target.getClass(), name);
            if (method != null) {
                anyPresent = true;
                Object value = call(method, target);
                if (value != null) {
                    return value;
                }
            }
        }
        if (!anyPresent) {
            drifted(target.getClass(), String.join("|", names));
        }
        return null;
    }

    public static String string(Object target, String name) {
        Object value = get(target, name);
        return value == null ? null : value.toString();
    }

    public static List<?> list(Object target, String name) {
        Object value = get(target, name);
        return value instanceof List ? (List<?>) value : Collections.emptyList();
    }

    /**
     * {@code target.name()} as it is (no Optional unwrapped), failures thrown: for the capture
     * contract's reads where a failure must reach the extractor.
     */
    public static Object invoke(Object target, String name) throws ReflectiveOperationException {
        Method method = method(target.getClass(), name);
        if (method == null) {
            drifted(target.getClass(), name);
            throw new NoSuchMethodException(target.getClass().getName() + "." + name + "()");
        }
        return method.invoke(target);
    }

    /** A multipart part's value, unwrapped from the SDK's field holder ({@code value().asKnown()}). */
    public static Object multipartValue(Object part) throws ReflectiveOperationException {
        if (part == null) {
            return null;
        }
        Object field = invoke(part, "value");
        if (field == null) {
            return null;
        }
        Method asKnown = method(field.getClass(), "asKnown");
        if (asKnown == null) {
            return field;
        }
        Object known = asKnown.invoke(field);
        return known instanceof Optional ? ((Optional<?>) known).orElse(null) : known;
    }

    /**
     * A field of {@code target}'s class or a superclass, for what an SDK keeps but exposes no
     * getter for (a generated service's client options); null when absent (reported as drift) or
     * unreadable.
     */
    public static Object field(Object target, String name) {
        if (target == null) {
            return null;
        }
        Field field = FIELDS.get(target.getClass()).computeIfAbsent(name, n -> findField(target.getClass(), n));
        if (field == NO_FIELD) {
            drifted(target.getClass(), "field " + name);
            return null;
        }
        try {
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The public no-argument method, made accessible once; null when the class has none. */
    public static Method method(Class<?> type, String name) {
        Method method = METHODS.get(type).computeIfAbsent(name, n -> find(type, n));
        return method == NONE ? null : method;
    }

    /** Whether {@code type} or one of its supertypes is, or implements, the type named {@code name}. */
    public static boolean isA(Class<?> type, String name) {
        return typeNamed(type, name) != null;
    }

    /** The type named {@code name} among {@code type}'s supertypes and interfaces, or null. */
    public static Class<?> typeNamed(Class<?> type, String name) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            if (current.getName().equals(name)) {
                return current;
            }
            for (Class<?> implemented : current.getInterfaces()) {
                Class<?> found = typeNamed(implemented, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Members found missing since start, each class and member counted once. */
    public static long driftCount() {
        return DRIFT.get();
    }

    private static Object call(Method method, Object target) {
        try {
            Object value = method.invoke(target);
            return value instanceof Optional ? ((Optional<?>) value).orElse(null) : value;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static void drifted(Class<?> type, String member) {
        if (REPORTED.size() < 10_000 && REPORTED.add(type.getName() + '#' + member)) {
            DRIFT.incrementAndGet();
            AgentLog.warn("SDK drift: " + type.getName() + " has no " + member + "(); that field is not recorded"
                    + " (library version " + versionOf(type) + ")");
        }
    }

    private static String versionOf(Class<?> type) {
        Package pkg = type.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            try {
                Field field = current.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (RuntimeException | LinkageError e) {
                return NO_FIELD;
            }
        }
        return NO_FIELD;
    }

    private static Method find(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            try {
                // The public method may be declared by a non-public implementation class.
                method.setAccessible(true);
            } catch (RuntimeException notOpen) {
                // a public method of a public type is callable anyway
            }
            return method;
        } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
            return NONE;
        }
    }
}
