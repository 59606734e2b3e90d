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
 *
 * <p>The members a reader requires (every read here except {@link #probe} and {@link #method}) are
 * also what the install-time version check verifies: the build runs the readers over real SDK
 * objects with {@value #READ_LOG_PROPERTY} set, and the members they read, written down per
 * provider ({@code sdk-members.txt} beside the provider's classes), are checked in the
 * application's library versions before the first call (see {@code instrument/SupportCheck}).
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

    /** Set (by the build only) to write down every member a reader requires; see {@link #readLog}. */
    public static final String READ_LOG_PROPERTY = "voicetrace.internal.sdkReadLog";

    /**
     * Null unless {@value #READ_LOG_PROPERTY} is set when this class loads: a constant, so the
     * check costs nothing in the application.
     */
    private static final Set<String> READ_LOG = Boolean.getBoolean(READ_LOG_PROPERTY)
            ? Collections.newSetFromMap(new ConcurrentHashMap<>()) : null;

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
        logRead(method, name);
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
                logRead(method, String.join("|", names));
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
        logRead(method, name);
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
        Map<String, Field> known = FIELDS.get(target.getClass());
        Field field = known.get(name);
        if (field == null) {
            field = findField(target.getClass(), name);
            known.putIfAbsent(name, field);
        }
        if (field == NO_FIELD) {
            drifted(target.getClass(), "field " + name);
            return null;
        }
        logRead(field.getDeclaringClass(), FIELD_PREFIX + name);
        try {
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The public method {@code name} taking {@code parameters} that a reader or observer cannot do
     * without (a stream operator, a static entry point), made accessible. Its absence is SDK drift,
     * reported and thrown. Not cached: callers keep what it returns per class.
     */
    public static Method require(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method;
        try {
            method = type.getMethod(name, parameters);
        } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
            drifted(type, name);
            throw new NoSuchMethodException(type.getName() + "." + name);
        }
        try {
            method.setAccessible(true);
        } catch (RuntimeException notOpen) {
            // a public method of a public type is callable anyway
        }
        logRead(method, name);
        return method;
    }

    /** The public no-argument method, made accessible once; null when the class has none. */
    public static Method method(Class<?> type, String name) {
        // Looked up before computeIfAbsent: its lambda would capture the type, an allocation on
        // every read, and the processing thread reads a dozen members a call.
        Map<String, Method> known = METHODS.get(type);
        Method method = known.get(name);
        if (method == null) {
            method = find(type, name);
            known.putIfAbsent(name, method);
        }
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

    /**
     * A member the install-time check found missing from a library's classes (which it reads
     * without loading them): reported and counted like drift found at read time, once.
     */
    public static void missingAtInstall(String typeName, String member, String library) {
        if (REPORTED.size() < 10_000 && REPORTED.add(typeName + '#' + member)) {
            DRIFT.incrementAndGet();
            AgentLog.warn("SDK drift: " + typeName + " has no " + describe(member) + " in this version of " + library
                    + "; that field is not recorded");
        }
    }

    /** Marks a member name in {@link #readLog} as a field. */
    public static final String FIELD_PREFIX = "field ";

    /**
     * The members required reads found, since start, as {@code type#member<TAB>packages}: the
     * declaring type, the member (alternatives joined by {@code |}, a field prefixed with
     * {@link #FIELD_PREFIX}), and the agent's packages on the reading stack, nearest first. Empty
     * unless {@value #READ_LOG_PROPERTY} was set.
     */
    public static Set<String> readLog() {
        return READ_LOG == null ? Collections.emptySet() : Collections.unmodifiableSet(READ_LOG);
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
            AgentLog.warn("SDK drift: " + type.getName() + " has no " + describe(member) + "; that field is not recorded"
                    + " (library version " + versionOf(type) + ")");
        }
    }

    private static String describe(String member) {
        return member.startsWith(FIELD_PREFIX) ? member : member + "()";
    }

    /**
     * Notes a use of a required method a reader looked up once and keeps (with {@link #require}):
     * the read log sees every reader that relies on it, not only the first.
     */
    public static void used(Method method) {
        if (READ_LOG != null) {
            logRead(method, method.getName());
        }
    }

    private static void logRead(Method method, String member) {
        if (READ_LOG != null) {
            logRead(contractOf(method), member);
        }
    }

    /**
     * The most general public type that declares {@code method}: what a reader relies on is the
     * library's contract (an interface, a public base class), not the class that happens to
     * implement it in one version.
     */
    private static Class<?> contractOf(Method method) {
        Class<?> best = method.getDeclaringClass();
        java.util.ArrayDeque<Class<?>> toVisit = new java.util.ArrayDeque<>();
        toVisit.add(best);
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.poll();
            if (java.lang.reflect.Modifier.isPublic(type.getModifiers()) && type.isAssignableFrom(best)
                    && declares(type, method)) {
                best = type;
            }
            if (type.getSuperclass() != null) {
                toVisit.add(type.getSuperclass());
            }
            toVisit.addAll(java.util.Arrays.asList(type.getInterfaces()));
        }
        return best;
    }

    private static boolean declares(Class<?> type, Method method) {
        try {
            type.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void logRead(Class<?> declaring, String member) {
        if (READ_LOG == null) {
            return;
        }
        String type = declaring.getName();
        if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("dev.voicetrace.")) {
            return;
        }
        String readers = StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.startsWith("dev.voicetrace.agent.") && !name.equals(SdkMembers.class.getName()))
                .map(name -> name.substring(0, name.lastIndexOf('.')))
                .distinct()
                .collect(java.util.stream.Collectors.joining(",")));
        READ_LOG.add(type + '#' + member + '\t' + readers);
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
