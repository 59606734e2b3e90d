package dev.voicetrace.testapp.openai.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * CPU time per thread of this process from Linux's /proc/self/task (JIT compiler and GC threads
 * included, which the JVM's thread bean does not list), summed by thread name with numbers
 * dropped ("C2 CompilerThread0" and "C2 CompilerThread1" count together). Diagnostics for the
 * benchmark (-Dbench.threads=true): where the CPU that a configuration adds goes.
 */
final class ThreadCpu {

    private ThreadCpu() {}

    /** Clock ticks of user plus system time per thread name; empty where /proc is not there. */
    static Map<String, Long> byName() {
        Map<String, Long> ticks = new TreeMap<>();
        Path tasks = Paths.get("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return ticks;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                try {
                    String name = new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.UTF_8).trim()
                            .replaceAll("[#-]?[0-9]+$", "");
                    String stat = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.UTF_8);
                    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** Prints, per thread name, the CPU microseconds per call between two readings (10 ms ticks). */
    static void printDifference(Map<String, Long> before, Map<String, Long> after, int calls) {
        StringBuilder line = new StringBuilder("thread_cpu_us_per_call");
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            long ticks = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            if (ticks > 0) {
                line.append(String.format(Locale.ROOT, " [%s]=%.1f", entry.getKey(), ticks * 10_000.0 / calls));
            }
        }
        System.out.println(line);
    }

    /**
     * CPU microseconds per call of the JIT compiler threads (C1 and C2) between two readings. In
     * the voice workload they are still busy during the timed turns (a few calls a second keep
     * much code below the compile thresholds for minutes), and what they take moves by some 1 ms
     * per call between identical runs without an agent: the benchmark reports the CPU outside
     * them beside the total.
     */
    static double compilerMicrosPerCall(Map<String, Long> before, Map<String, Long> after, int calls) {
        // Linux keeps 15 characters of a thread's name: "C2 CompilerThre".
        return microsPerCall(before, after, calls, name -> name.startsWith("C1 Compiler")
                || name.startsWith("C2 Compiler"));
    }

    /**
     * CPU microseconds per call of the tracing agents' own threads between two readings:
     * Voicetrace's ({@code voicetrace-*}) and the OpenTelemetry agent's batch span processor. The
     * OpenTelemetry exporter's OkHttp threads are not counted: by name they cannot be told apart
     * from the application's own OkHttp threads.
     */
    static double agentMicrosPerCall(Map<String, Long> before, Map<String, Long> after, int calls) {
        return microsPerCall(before, after, calls, ThreadCpu::isAgentThread);
    }

    /** Whether a thread, by name, is one of Voicetrace's or the OpenTelemetry agent's batch span processor. */
    static boolean isAgentThread(String name) {
        return name.startsWith("voicetrace") || name.startsWith("BatchSpanProcess");
    }

    /** CPU microseconds per call, between two readings, of the threads whose names are accepted. */
    private static double microsPerCall(Map<String, Long> before, Map<String, Long> after, int calls,
                                        Predicate<String> threads) {
        long ticks = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            if (threads.test(entry.getKey())) {
                ticks += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            }
        }
        return ticks * 10_000.0 / calls;
    }
}
