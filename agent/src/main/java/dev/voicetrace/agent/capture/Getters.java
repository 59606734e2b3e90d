package dev.voicetrace.agent.capture;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads framework objects (LangChain4j, Spring AI) through their public no-argument getters by
 * name, for types the agent cannot link to. A getter that is missing or fails reads as null, so
 * one unknown field never loses the rest of a call. Used on the processing thread only.
 */
public final class Getters {

    private static final Method NONE;

    static {
        try {
            NONE = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ClassValue<Map<String, Method>> CACHE = new ClassValue<Map<String, Method>>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Getters() {}

    /** {@code target.name()}, unwrapping an {@link Optional}; null when absent or failing. */
    public static Object get(Object target, String name) {
        if (target == null) {
            return null;
        }
        Method method = CACHE.get(target.getClass()).computeIfAbsent(name, n -> find(target.getClass(), n));
        if (method == NONE) {
            return null;
        }
        try {
            Object value = method.invoke(target);
            return value instanceof Optional ? ((Optional<?>) value).orElse(null) : value;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The first of {@code names} that reads as non-null. */
    public static Object first(Object target, String... names) {
        for (String name : names) {
            Object value = get(target, name);
            if (value != null) {
                return value;
            }
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
        } catch (NoSuchMethodException | RuntimeException e) {
            return NONE;
        }
    }
}
