package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP client an exporter sends with: built for the first request, shut down when the
 * exporter closes. The client's selector thread waits in a native call, and a JVM that exits while
 * such a thread is there waits some 300 ms for it (JDK 17 and 25 alike): built on first use, the
 * client costs a JVM that never exports anything nothing at exit; shut down with the exporter, it
 * costs one that did nothing either.
 */
final class ExportHttpClient {

    /** How long closing waits for the selector thread to end. */
    static final long STOP_WAIT_MILLIS = 200;

    private final Duration connectTimeout;
    private HttpClient client;

    ExportHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    synchronized HttpClient get() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        }
        return client;
    }

    /** The client built so far, or null (for tests). */
    synchronized HttpClient built() {
        return client;
    }

    /**
     * Ends the client's selector thread and drops the client; a request still under way fails. A
     * later request builds a new client. Whatever goes wrong here only leaves the thread running,
     * as it was before.
     */
    void close() {
        HttpClient built;
        synchronized (this) {
            built = client;
            client = null;
        }
        if (built == null) {
            return;
        }
        String selectorName = null;
        try {
            selectorName = selectorThreadName(built);
            if (!shutDownThroughApi(built)) {
                interruptSelectorThread(findThread(selectorName));
            }
        } catch (RuntimeException | LinkageError e) {
            // The exit waits for the thread, as it would have anyway.
        }
        if (selectorName == null) {
            AgentLog.debug("the export HTTP client is closed; its thread could not be told from its name");
            return;
        }
        Thread left = findThread(selectorName);
        AgentLog.debug(left == null || !left.isAlive() ? "the export HTTP client is shut down"
                : "the export HTTP client's thread " + selectorName + " is still running");
    }

    /** JDK 21 and later: {@code shutdownNow()} and {@code awaitTermination(Duration)}; false before. */
    private static boolean shutDownThroughApi(HttpClient client) {
        Method shutdownNow;
        Method awaitTermination;
        try {
            shutdownNow = HttpClient.class.getMethod("shutdownNow");
            awaitTermination = HttpClient.class.getMethod("awaitTermination", Duration.class);
        } catch (NoSuchMethodException e) {
            return false;
        }
        try {
            shutdownNow.invoke(client);
            awaitTermination.invoke(client, Duration.ofMillis(STOP_WAIT_MILLIS));
        } catch (ReflectiveOperationException e) {
            // Shut down or not, there is nothing else to try.
        }
        return true;
    }

    /**
     * Before JDK 21 the client has no shutdown, but its selector thread ends when interrupted (see
     * {@link #selectorThreadName} for how it is found).
     */
    private static void interruptSelectorThread(Thread selector) {
        if (selector == null) {
            return;
        }
        selector.interrupt();
        try {
            selector.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The name of the client's selector thread, or null when its description carries no id. The
     * thread is named after the client's id, which the client's {@code toString()} ends with
     * ({@code jdk.internal.net.http.HttpClientImpl@1b2c3d(7)} runs {@code HttpClient-7-SelectorManager});
     * ids are unique in the JVM, so no other client's thread can be taken for it.
     */
    static String selectorThreadName(HttpClient client) {
        String described = client.toString();
        int open = described.lastIndexOf('(');
        int close = described.lastIndexOf(')');
        if (open < 0 || close != described.length() - 1) {
            return null;
        }
        String id = described.substring(open + 1, close);
        for (int i = 0; i < id.length(); i++) {
            if (!Character.isDigit(id.charAt(i))) {
                return null;
            }
        }
        return id.isEmpty() ? null : "HttpClient-" + id + "-SelectorManager";
    }

    static Thread findThread(String name) {
        if (name == null) {
            return null;
        }
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            if (name.equals(threads[i].getName())) {
                return threads[i];
            }
        }
        return null;
    }
}
