package dev.voicetrace.testapp.openai.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.voicetrace.testapp.openai.MockOpenAiServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times chat completion calls through the real openai-java client against the loopback mock, in
 * one JVM, and prints one result line:
 * {@code calls=N median_us=X p99_us=Y mean_us=Z first_call_ms=F peak_rss_mb=R}, where F is the
 * time from JVM start to the end of the process's first call (what start-up costs an application)
 * and R is the process's peak resident set size. The {@link OverheadBench} driver runs it with and
 * without agents and compares.
 */
public final class CallLatencyBench {

    private CallLatencyBench() {}

    public static void main(String[] args) throws Exception {
        // 40,000 warm-up calls: after 5,000 the JIT compiler was still busy for some 45% of the
        // process's CPU during the timed calls (measured with -Dbench.threads=true), which made
        // the figures noisy and not those of a long-running service.
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 40000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 15000;
        try (MockOpenAiServer mock = new MockOpenAiServer()) {
            // The mock keeps every request it served unless told not to: 55,000 of them by the end
            // of a run, an application whose old generation grows by some 10 MB between young
            // collections, which made every configuration's pauses and tail longer.
            mock.keepRequests(false);
            mock.start();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .apiKey("sk-bench-0000000000000000")
                    .baseUrl(mock.baseUrl())
                    .maxRetries(0)
                    .build();
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addSystemMessage("You are a friendly voice assistant.")
                    .addUserMessage("Great. Can you suggest a good place to have lunch near the river?")
                    .temperature(0.7)
                    .build();
            consume(client.chat().completions().create(params));
            // Read the clock first and only then load java.management, so that loading it is not
            // counted. The JVM records its start time before agents' premain runs, so agent
            // start-up is included. ProcessHandle...startInstant() would also cover exec and JVM
            // boot, but on Linux it is derived from the boot time in whole seconds (/proc/stat
            // btime) and was measured 0.6 s off on the development machine.
            long firstCallEnd = System.currentTimeMillis();
            long firstCallMs = firstCallEnd - ManagementFactory.getRuntimeMXBean().getStartTime();
            for (int i = 1; i < warmup; i++) {
                consume(client.chat().completions().create(params));
            }
            long[] nanos = new long[calls];
            long cpuStart = processCpuNanos();
            java.util.Map<String, Long> threadsAtStart = ThreadCpu.byName();
            java.util.Map<Long, ThreadAllocation.Allocated> allocatedAtStart = ThreadAllocation.snapshot();
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                consume(client.chat().completions().create(params));
                nanos[i] = System.nanoTime() - start;
            }
            long cpuNanos = processCpuNanos() - cpuStart;
            java.util.Map<String, Long> threadsAtEnd = ThreadCpu.byName();
            java.util.Map<Long, ThreadAllocation.Allocated> allocatedAtEnd = ThreadAllocation.snapshot();
            if (Boolean.getBoolean("bench.threads")) {
                ThreadCpu.printDifference(threadsAtStart, threadsAtEnd, calls);
            }
            client.close();
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0);
            System.out.println(String.format(Locale.ROOT,
                    "calls=%d median_us=%.1f p99_us=%.1f mean_us=%.1f first_call_ms=%d peak_rss_mb=%.1f"
                            + " cpu_us_per_call=%.1f agent_threads_cpu_us_per_call=%.1f jit_cpu_us_per_call=%.1f"
                            + " alloc_kb_per_call=%.1f agent_threads_alloc_kb_per_call=%.1f",
                    calls, nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0, mean / 1000.0,
                    firstCallMs, peakRssMb(), cpuNanos / 1000.0 / calls,
                    ThreadCpu.agentMicrosPerCall(threadsAtStart, threadsAtEnd, calls),
                    ThreadCpu.compilerMicrosPerCall(threadsAtStart, threadsAtEnd, calls),
                    ThreadAllocation.kilobytesPerCall(allocatedAtStart, allocatedAtEnd, calls, false),
                    ThreadAllocation.kilobytesPerCall(allocatedAtStart, allocatedAtEnd, calls, true)));
        }
        printMainEnd();
    }

    /**
     * The wall-clock time at which main returns, for the driver to tell how long the JVM took to
     * exit after it (the agents' shutdown work: flushing, reports).
     */
    static void printMainEnd() {
        System.out.println("main_end_ms=" + System.currentTimeMillis());
        System.out.flush();
    }

    /**
     * CPU time of the whole process (every thread: the application's, the mock server's, an
     * agent's, the JIT's and the GC's), from the JVM's own operating system bean; -1 where the
     * platform does not report it. Steadier than latency on a busy machine.
     */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** VmHWM (the high-water mark of resident memory) from /proc/self/status; -1 where there is none. */
    static double peakRssMb() throws IOException {
        if (!Files.isReadable(Paths.get("/proc/self/status"))) {
            return -1;
        }
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                // "VmHWM:   123456 kB"
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private static int sink;

    private static void consume(ChatCompletion completion) {
        sink += completion.choices().get(0).message().content().map(String::length).orElse(0);
    }
}
