package dev.voicetrace.agent;

import dev.voicetrace.agent.capture.EpochClock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The agent's only logger: one line per message on stderr, prefixed so that it is easy to tell
 * apart from the application's output. It never uses the application's logging framework, which
 * may not exist or may not be initialised yet.
 */
public final class AgentLog {

    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    private static volatile Level threshold = Level.INFO;
    /** Applied to every line before it is written: secrets and personal data never reach stderr. */
    private static volatile UnaryOperator<String> filter = UnaryOperator.identity();
    private static final Set<String> ONCE_KEYS = ConcurrentHashMap.newKeySet();
    /** Threads doing the agent's start-up work, which a short application may exit in the middle of. */
    private static final ThreadLocal<Boolean> START_UP_WORK = new ThreadLocal<>();
    /** Whether the JVM has begun to exit (replaced in tests). */
    static volatile BooleanSupplier jvmExiting = AgentLog::shutdownInProgress;
    private static final int MAX_ONCE_KEYS = 1024;

    private AgentLog() {}

    public static void setThreshold(Level level) {
        threshold = level;
    }

    /** Sets what every line passes through before it is written (secret scrubbing, redaction). */
    public static void setFilter(UnaryOperator<String> lineFilter) {
        filter = lineFilter;
    }

    /**
     * Marks the calling thread as doing start-up work: once the JVM has begun to exit, what fails
     * there fails because the JVM is going away (it no longer lists or changes classes), so its
     * warnings are written at the debug level only.
     */
    public static void markStartUpWork() {
        START_UP_WORK.set(Boolean.TRUE);
    }

    public static boolean enabled(Level level) {
        return level.ordinal() >= threshold.ordinal() && level != Level.OFF;
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void warn(String message, Throwable cause) {
        log(Level.WARN, message, cause);
    }

    public static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    /** Logs a message only the first time its key is seen, so that a repeated fault costs one line. */
    public static void warnOnce(String key, String message) {
        if (ONCE_KEYS.size() < MAX_ONCE_KEYS && ONCE_KEYS.add(key)) {
            log(Level.WARN, message, null);
        }
    }

    private static void log(Level level, String message, Throwable cause) {
        if (level.ordinal() >= Level.WARN.ordinal() && START_UP_WORK.get() != null
                && jvmExiting.getAsBoolean()) {
            level = Level.DEBUG;
        }
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(128)
                .append("[voicetrace] ")
                .append(EpochClock.iso(System.currentTimeMillis() * 1_000_000L))
                .append(' ')
                .append(level)
                .append(' ')
                .append(message);
        if (cause != null) {
            // Class and message only: a stack trace would be noise in the host's log.
            line.append(": ").append(cause.getClass().getName());
            if (cause.getMessage() != null) {
                line.append(": ").append(cause.getMessage());
            }
        }
        String text = line.toString();
        try {
            text = filter.apply(text);
        } catch (RuntimeException e) {
            // A line that cannot be filtered is not written: it may hold what the filter removes.
            text = "[voicetrace] " + level + " (a log line was withheld: " + e.getClass().getName() + ")";
        }
        System.err.println(text);
    }

    /** The JVM refuses new shutdown hooks once it has begun to run them. */
    private static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
