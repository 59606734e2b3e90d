package dev.voicetrace.agent.report;

import dev.voicetrace.agent.AgentLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the report beside the events file when the JVM exits, on a thread of its own and within
 * {@link #BUDGET_MILLIS}: past that it is abandoned (nothing half-written is left) and one line
 * says how to write it by hand. Nothing it does can throw into the application's shutdown.
 */
public final class ReportAtExit {

    static final long BUDGET_MILLIS = 5000;
    /** After the budget, how long the abandoned writer gets to remove its scratch files. */
    static final long CLEANUP_MILLIS = 300;
    /** A larger events file cannot be reported within the budget: it is not attempted. */
    static final long MAX_EVENTS_BYTES = 64L * 1024 * 1024;
    /**
     * Without {@code voicetrace.report.path}, a larger events file is not reported at exit: the
     * report was not asked for, and writing it would hold up the JVM's exit (a second or more for
     * some thousands of calls). A short run such as the demo's stays well below it.
     */
    static final long DEFAULT_MAX_EVENTS_BYTES = 1024L * 1024;

    private ReportAtExit() {}

    /**
     * @param eventsFile the file exporter's path
     * @param option {@code voicetrace.report.path}: null for the default, {@code none} for no report
     * @return the report's path for the shutdown line, or null when none was written
     */
    public static String write(String eventsFile, String option) {
        try {
            if (option != null && option.equalsIgnoreCase("none")) {
                return null;
            }
            Path events = Paths.get(eventsFile).toAbsolutePath();
            if (!Files.isRegularFile(events)) {
                return null;
            }
            Path report = option != null ? Paths.get(option).toAbsolutePath()
                    : events.resolveSibling(ReportCommand.DEFAULT_OUTPUT);
            long size = Files.size(events);
            if (size > (option != null ? MAX_EVENTS_BYTES : DEFAULT_MAX_EVENTS_BYTES)) {
                AgentLog.info("report not written at exit: " + events + " holds " + (size >> 10) + " KB"
                        + (option != null ? "" : " (set voicetrace.report.path to write it at exit anyway)")
                        + "; write it with java -jar voicetrace-agent.jar report " + events + " -o " + report);
                return null;
            }
            return writeWithin(events, report, BUDGET_MILLIS);
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            AgentLog.warn("report not written at exit", e);
            return null;
        }
    }

    static String writeWithin(Path events, Path report, long budgetMillis) {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                ReportGenerator.generate(Collections.singletonList(events), report, cancelled::get);
                outcome.set(report);
            } catch (Exception | LinkageError e) {
                outcome.set(e);
            }
        }, "voicetrace-report");
        writer.setDaemon(true);
        writer.start();
        try {
            writer.join(Math.max(1, budgetMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Object result = outcome.get();
        if (result == null) {
            cancelled.set(true);
            try {
                // The writer stops at its next line and removes its scratch files before the JVM halts.
                writer.join(CLEANUP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            AgentLog.info("report not written at exit: it took longer than " + budgetMillis + " ms; write it with "
                    + "java -jar voicetrace-agent.jar report " + events + " -o " + report);
            return null;
        }
        if (result instanceof Throwable) {
            AgentLog.warn("report not written at exit (" + report + ")", (Throwable) result);
            return null;
        }
        return report.toString();
    }
}
