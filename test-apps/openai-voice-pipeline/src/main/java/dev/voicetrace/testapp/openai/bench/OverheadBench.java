package dev.voicetrace.testapp.openai.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures what the agent adds, next to what the OpenTelemetry Java agent adds: runs
 * {@link CallLatencyBench} ({@code --workload chat}, the default; {@code --workload small}: one
 * warm-up and one timed call, a short-lived application) or {@link VoiceTurnBench}
 * ({@code --workload voice}) in fresh JVMs with no agent, with Voicetrace and (when
 * {@code --otel-agent} is given) with the OpenTelemetry agent, interleaved round by round so that
 * drifting machine load hits all three alike, and prints per configuration the medians over
 * rounds of: per-call median and p99 latency, time from JVM start to the end of the first call,
 * whole-process wall time seen from here, and peak RSS (the child's own at the end of its main,
 * and the whole process's, shutdown included, read from here through /proc), CPU per timed call
 * (the whole process's, the agents' own threads', the JIT compilers' and the process's outside
 * them), heap allocation per timed call (all threads', the agents' own threads'), and the time
 * from the end of main to the end of the process; then ratio and difference against no agent and
 * the project's overhead targets, each judged on the rounds paired (the median of the differences
 * within a round); for the voice workload also the per-stage medians and p99s (stt, llm_sync,
 * llm_stream, tts). Run on demand, never in the test suite: shared machines are noisy, so read
 * the figures over rounds, not one number.
 *
 * <pre>java -cp openai-voice-pipeline.jar dev.voicetrace.testapp.openai.bench.OverheadBench
 *     --agent agent/target/voicetrace-agent.jar [--otel-agent opentelemetry-javaagent.jar]
 *     [--workload chat|small|voice] [--rounds 3] [--warmup 40000] [--calls 15000]
 *     [--jvm-args "-Xms512m -Xmx512m"]</pre>
 *
 * <p>For {@code --workload voice}, {@code --warmup} and {@code --calls} count voice turns (three
 * calls each; defaults 60 and 240): most of its calls wait some 50 ms (see {@link VoiceTurnBench}),
 * so a child runs about a minute with these.
 *
 * <p>The OpenTelemetry agent is io.opentelemetry.javaagent:opentelemetry-javaagent (2.x), e.g.
 * {@code mvn dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:2.33.1
 * -DoutputDirectory=/tmp/otel}. To see that it traces the calls, run {@link CallLatencyBench} by
 * hand under it with {@code -Dotel.traces.exporter=logging} and a few calls: per call a
 * {@code chat gpt-4o-mini} span (openai-java-1.1) with an OkHttp {@code POST} child.
 */
public final class OverheadBench {

    /** The measures of both workloads, in the order of {@link #run}'s result; voice adds its stages'. */
    private static final String[] MEASURES = {"median_us", "p99_us", "first_call_ms", "wall_ms", "peak_rss_mb",
        "cpu_us_per_call", "agent_threads_cpu_us_per_call", "exit_ms", "process_peak_rss_mb",
        "jit_cpu_us_per_call", "cpu_outside_jit_us_per_call", "alloc_kb_per_call",
        "agent_threads_alloc_kb_per_call"};
    private static final int MEDIAN = 0;
    private static final int P99 = 1;
    private static final int FIRST_CALL = 2;
    private static final int WALL = 3;
    private static final int RSS = 4;
    private static final int CPU = 5;
    /** From the end of the child's main to the end of its process: what the agents' shutdown costs. */
    private static final int EXIT = 7;
    /**
     * The child's peak RSS over its whole life, shutdown included, read from here: {@link #RSS} is
     * the child's own high-water mark at the end of its main, before the agents' work at exit.
     */
    private static final int PROCESS_RSS = 8;
    /** The process's CPU per call less its JIT compiler threads' ({@code jit_cpu_us_per_call}), computed here. */
    private static final int CPU_OUTSIDE_JIT = 10;
    /** How often the child's high-water mark is read while it runs. */
    private static final long RSS_SAMPLE_MILLIS = 10;

    private OverheadBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path agent = existing(options.getOrDefault("--agent", "agent/target/voicetrace-agent.jar"), "--agent");
        Path otelAgent = options.containsKey("--otel-agent") ? existing(options.get("--otel-agent"), "--otel-agent")
                : null;
        // Run copies, in a temporary directory: other work in the same checkout rebuilds these
        // jars, which would break children or change what is measured half-way through a run.
        Path snapshot = Files.createTempDirectory("voicetrace-bench");
        agent = Files.copy(agent, snapshot.resolve("voicetrace-agent.jar"));
        otelAgent = otelAgent == null ? null : Files.copy(otelAgent, snapshot.resolve("opentelemetry-javaagent.jar"));
        Path codeSource = Paths.get(CallLatencyBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path benchJar = Files.isRegularFile(codeSource) ? Files.copy(codeSource, snapshot.resolve("bench.jar"))
                : codeSource;
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        String workload = options.getOrDefault("--workload", "chat");
        boolean voice = workload.equals("voice");
        // A short-lived application: JVM start, a warm-up call and one timed call, exit.
        boolean small = workload.equals("small");
        if (!voice && !small && !workload.equals("chat")) {
            System.err.println("unknown --workload " + workload + " (chat, small or voice)");
            System.exit(2);
        }
        Class<?> child = voice ? VoiceTurnBench.class : CallLatencyBench.class;
        String warmup = options.getOrDefault("--warmup", voice ? "60" : small ? "1" : "40000");
        String calls = options.getOrDefault("--calls", voice ? "240" : small ? "1" : "15000");
        List<String> measures = new ArrayList<>(Arrays.asList(MEASURES));
        if (voice) {
            for (String stage : VoiceTurnBench.STAGES) {
                measures.add(stage + "_median_us");
                measures.add(stage + "_p99_us");
            }
        }
        // For every child, e.g. "-Xms512m -Xmx512m": with the default heap ergonomics (a quarter
        // of a big machine's memory) peak RSS mostly shows how far G1 happened to grow the heap.
        String jvmArgsOption = options.getOrDefault("--jvm-args", "").trim();
        List<String> childArgs = jvmArgsOption.isEmpty() ? List.of() : Arrays.asList(jvmArgsOption.split("\\s+"));
        Path events = snapshot.resolve("events.jsonl");

        List<String> names = new ArrayList<>();
        List<List<String>> jvmArgs = new ArrayList<>();
        names.add("no agent");
        jvmArgs.add(List.of());
        // Voicetrace on its local default exporter: every call is encoded and written, as in use
        // (and the HTML report written at exit, as by default).
        names.add("voicetrace");
        jvmArgs.add(List.of("-javaagent:" + agent.toAbsolutePath(), "-Dvoicetrace.file.path=" + events,
                "-Dvoicetrace.console.summary=false"));
        OtlpSink otlpSink = new OtlpSink();
        boolean langfuse = Boolean.parseBoolean(options.getOrDefault("--langfuse", "true"));
        int voicetraceUp = -1;
        int voicetraceDown = -1;
        int voicetraceUncompressed = -1;
        if (langfuse) {
            // Exporting to Langfuse (OTLP/HTTP JSON): once to a loopback endpoint that answers every
            // request, once to a port that refuses connections, to see what a Langfuse that is down
            // costs, at exit above all.
            List<String> keys = List.of("-javaagent:" + agent.toAbsolutePath(), "-Dlangfuse.public.key=pk-lf-bench",
                    "-Dlangfuse.secret.key=sk-lf-bench");
            voicetraceUp = names.size();
            names.add("voicetrace, langfuse up");
            jvmArgs.add(concat(keys, List.of("-Dlangfuse.host=" + otlpSink.baseUrl())));
            // The same without gzip: OpenTelemetry's OTLP exporter sends uncompressed unless told
            // otherwise, so this and "otel, exporting" below compare exporting like for like.
            voicetraceUncompressed = names.size();
            names.add("voicetrace, langfuse up, no gzip");
            jvmArgs.add(concat(keys, List.of("-Dlangfuse.host=" + otlpSink.baseUrl(), "-Dvoicetrace.export.gzip=false")));
            voicetraceDown = names.size();
            names.add("voicetrace, langfuse down");
            jvmArgs.add(concat(keys, List.of("-Dlangfuse.host=http://127.0.0.1:" + closedPort())));
        }
        int firstOtel = names.size();
        int otelExporting = -1;
        if (otelAgent != null) {
            // The mock server runs in the benchmark's JVM; its JDK HTTP server would get server
            // spans a real application calling OpenAI does not have, so that one instrumentation is
            // off. The openai-java and OkHttp (openai-java's transport) spans stay, as in a real
            // application. Two ways: exporters off (spans are created and ended, nothing is sent),
            // and exporting like Voicetrace does: message content captured, spans sent over
            // OTLP/HTTP to a loopback endpoint of this process that accepts and discards them.
            List<String> common = List.of("-javaagent:" + otelAgent.toAbsolutePath(),
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                    "-Dotel.instrumentation.java-http-server.enabled=false");
            names.add("otel, no export");
            jvmArgs.add(concat(common, List.of("-Dotel.traces.exporter=none")));
            otelExporting = names.size();
            names.add("otel, exporting");
            jvmArgs.add(concat(common, List.of("-Dotel.traces.exporter=otlp",
                    "-Dotel.exporter.otlp.protocol=http/protobuf",
                    "-Dotel.exporter.otlp.traces.endpoint=" + otlpSink.tracesEndpoint(),
                    "-Dotel.instrumentation.genai.capture-message-content=true")));
        }

        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<List<double[]>> results = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            results.add(new ArrayList<>());
        }
        try {
            for (int round = 1; round <= rounds; round++) {
                for (int c = 0; c < names.size(); c++) {
                    List<String> command = new ArrayList<>();
                    command.add(java);
                    command.addAll(childArgs);
                    command.addAll(jvmArgs.get(c));
                    command.addAll(List.of("-cp", benchJar.toString(), child.getName(), warmup, calls));
                    double[] result = run(command, measures);
                    // Some 4 kB per call: do not let runs pile up hundreds of MB.
                    Files.deleteIfExists(events);
                    results.get(c).add(result);
                    System.out.println(String.format(Locale.ROOT, "round %d %-32s %s", round, names.get(c),
                            row(result, "%15.1f")));
                }
            }
        } finally {
            otlpSink.close();
            try (Stream<Path> files = Files.list(snapshot)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(snapshot);
        }

        double[][] medians = new double[names.size()][];
        for (int c = 0; c < names.size(); c++) {
            medians[c] = medianOf(results.get(c));
        }
        System.out.println();
        String what = voice
                ? "voice turns (transcription, chat completion sync / streaming alternately, speech read fully)"
                        + " through openai-java over loopback, each call timed; medians over " + rounds
                        + " rounds of " + warmup + " warm-up + " + calls + " timed turns each"
                : "chat.completions.create through openai-java over loopback; medians over " + rounds
                        + " rounds of " + warmup + " warm-up + " + calls + " timed calls each";
        System.out.println(what + " (java " + System.getProperty("java.version")
                + (childArgs.isEmpty() ? "" : " " + jvmArgsOption) + ")");
        table(names, medians, measures, 0, MEASURES.length);
        if (voice) {
            // Read these: median_us and p99_us above pool stages of very different latency
            // (per turn: stt ~45 ms, sync chat ~1 ms or streamed ~100 ms, tts ~55 ms), so their
            // median falls between the stt and tts calls and their p99 among the streamed ones.
            System.out.println();
            System.out.println("per stage, all timed calls of that stage:");
            table(names, medians, measures, MEASURES.length, measures.size());
        }

        // The targets from the project's issue, on Voicetrace's added cost over no agent. Each is
        // judged on the rounds paired: the median of the differences within a round, where the
        // configurations ran minutes apart on the same machine. Between rounds this machine's
        // own figures drift by more than an agent adds (no agent's p99 from 281 to 817 us in one
        // run), which the difference of the configurations' medians does not cancel.
        List<double[]> none = results.get(0);
        List<double[]> vt = results.get(1);
        System.out.println();
        System.out.println("targets (Voicetrace on its default file exporter, added over no agent; the median of the"
                + " rounds' differences, then the difference of the medians and the rounds that meet it):");
        atMost("JVM start to first traced call", vt, none, FIRST_CALL, "ms", 300);
        boolean wholeProcess = medians[0][PROCESS_RSS] > 0 && medians[1][PROCESS_RSS] > 0;
        atMost(wholeProcess ? "peak RSS, whole process" : "peak RSS, to the end of main", vt, none,
                wholeProcess ? PROCESS_RSS : RSS, "MB", 30);
        if (!voice && !small) {
            atMost("median per call", vt, none, MEDIAN, "us", 20);
            atMost("p99 per call", vt, none, P99, "us", 100);
        }
        if (voicetraceDown >= 0) {
            atMost("exit with Langfuse down, later than with it up,", results.get(voicetraceDown),
                    results.get(voicetraceUp), EXIT, "ms", 200);
        }
        if (otelAgent != null && !small) {
            // The JIT's share is printed apart as well: in the voice workload it is still compiling
            // during the timed turns and moves by about 1 ms per call between identical runs.
            for (int measure : new int[] {CPU, CPU_OUTSIDE_JIT}) {
                for (int c = firstOtel; c < names.size(); c++) {
                    below(String.format(Locale.ROOT, "CPU per call%s below %s's",
                            measure == CPU ? "" : " outside the JIT compilers", names.get(c)),
                            vt, results.get(c), none, measure);
                }
            }
            if (voicetraceUncompressed >= 0) {
                below("CPU per call below " + names.get(otelExporting) + "'s, both uncompressed",
                        results.get(voicetraceUncompressed), results.get(otelExporting), none, CPU);
            }
            System.out.println(String.format(Locale.ROOT, "  (the OTLP sink received %d export requests)",
                    otlpSink.requests()));
        } else if (otelAgent == null) {
            System.out.println("  comparisons with OpenTelemetry: skipped (no --otel-agent)");
        } else {
            // One timed call, and the child's CPU clock ticks in 10 ms: no CPU figure per call.
            System.out.println("  CPU per call: not compared for --workload small (one timed call)");
        }
    }

    /** A target of at most {@code limit} added by {@code agent} over {@code base}, judged on the rounds paired. */
    private static void atMost(String what, List<double[]> agent, List<double[]> base, int measure, String unit,
                               double limit) {
        double[] added = pairedDifferences(agent, base, measure);
        int within = 0;
        for (double difference : added) {
            within += difference <= limit ? 1 : 0;
        }
        double paired = median(added);
        target(String.format(Locale.ROOT, "%s <= +%.0f %s: %+.1f %s (medians %+.1f, %d of %d rounds)", what, limit,
                unit, paired, unit, median(column(agent, measure)) - median(column(base, measure)), within,
                added.length), paired <= limit);
    }

    /**
     * A target of {@code agent} adding less over {@code none} than {@code other} does, judged on
     * the rounds paired: the difference between the two within each round.
     */
    private static void below(String what, List<double[]> agent, List<double[]> other, List<double[]> none,
                              int measure) {
        double[] apart = pairedDifferences(agent, other, measure);
        int below = 0;
        for (double difference : apart) {
            below += difference < 0 ? 1 : 0;
        }
        double paired = median(apart);
        double noneMedian = median(column(none, measure));
        target(String.format(Locale.ROOT, "%s: %+.1f us apart (medians %+.1f vs %+.1f us over no agent,"
                        + " below in %d of %d rounds)", what, paired, median(column(agent, measure)) - noneMedian,
                median(column(other, measure)) - noneMedian, below, apart.length), paired < 0);
    }

    /** Per round, {@code first}'s figure less {@code second}'s. */
    private static double[] pairedDifferences(List<double[]> first, List<double[]> second, int measure) {
        double[] result = new double[Math.min(first.size(), second.size())];
        for (int r = 0; r < result.length; r++) {
            result[r] = first.get(r)[measure] - second.get(r)[measure];
        }
        return result;
    }

    private static double[] column(List<double[]> runs, int measure) {
        double[] values = new double[runs.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = runs.get(r)[measure];
        }
        return values;
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Path existing(String path, String option) {
        Path file = Paths.get(path);
        if (!Files.isRegularFile(file)) {
            System.err.println("agent jar not found: " + file + " (build or fetch it, or pass " + option + " PATH)");
            System.exit(2);
        }
        return file;
    }

    private static void target(String text, boolean met) {
        System.out.println(String.format(Locale.ROOT, "  %-100s %s", text, met ? "MET" : "NOT MET"));
    }

    /** Prints columns {@code from} to {@code to} of the medians, with ratio and difference to no agent. */
    private static void table(List<String> names, double[][] medians, List<String> measures, int from, int to) {
        // Columns of 15, wider where a name needs it (llm_stream_median_us).
        int width = 15;
        for (String measure : measures.subList(from, to)) {
            width = Math.max(width, measure.length() + 2);
        }
        System.out.println(String.format(Locale.ROOT, "%-38s%s", "",
                row(measures.subList(from, to).toArray(new String[0]), width)));
        for (int c = 0; c < names.size(); c++) {
            System.out.println(String.format(Locale.ROOT, "%-38s%s", names.get(c),
                    row(Arrays.copyOfRange(medians[c], from, to), "%" + width + ".1f")));
        }
        for (int c = 1; c < names.size(); c++) {
            double[] ratio = new double[to - from];
            double[] added = new double[to - from];
            for (int m = from; m < to; m++) {
                ratio[m - from] = medians[c][m] / medians[0][m];
                added[m - from] = medians[c][m] - medians[0][m];
            }
            System.out.println(String.format(Locale.ROOT, "%-38s%s", names.get(c) + " ratio",
                    row(ratio, "%" + width + ".3f")));
            System.out.println(String.format(Locale.ROOT, "%-38s%s", names.get(c) + " added",
                    row(added, "%+" + width + ".1f")));
        }
    }

    /** Runs one child JVM; its figures in {@code measures} order, wall time measured from here. */
    private static double[] run(List<String> command, List<String> measures) throws Exception {
        long start = System.nanoTime();
        Path stderr = Files.createTempFile("voicetrace-bench", ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        PeakRssSampler peakRss = new PeakRssSampler(process);
        peakRss.start();
        String result = null;
        long mainEnd = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("calls=")) {
                    result = line;
                } else if (line.startsWith("main_end_ms=")) {
                    mainEnd = Long.parseLong(line.substring("main_end_ms=".length()).trim());
                }
            }
        }
        int exit = process.waitFor();
        long processEnd = System.currentTimeMillis();
        peakRss.join();
        List<String> errors = Files.readAllLines(stderr);
        Files.delete(stderr);
        if (exit != 0 || result == null) {
            throw new IllegalStateException("benchmark run failed (exit " + exit + "): " + command + "\n"
                    + String.join("\n", errors.subList(Math.max(0, errors.size() - 30), errors.size())));
        }
        // Includes the agents' shutdown work (Voicetrace flushes what is queued at exit).
        double wallMs = (System.nanoTime() - start) / 1e6;
        double[] figures = new double[measures.size()];
        for (int m = 0; m < figures.length; m++) {
            figures[m] = m == WALL ? wallMs : m == EXIT ? processEnd - mainEnd
                    : m == PROCESS_RSS ? peakRss.megabytes()
                    : m == CPU_OUTSIDE_JIT ? field(result, "cpu_us_per_call") - field(result, "jit_cpu_us_per_call")
                    : field(result, measures.get(m));
        }
        return figures;
    }

    /**
     * Reads a child's VmHWM (Linux: its resident memory's high-water mark) from /proc every
     * {@link #RSS_SAMPLE_MILLIS} ms until it exits; the last reading is its peak but for what the
     * last few milliseconds added. -1 where /proc cannot be read.
     */
    private static final class PeakRssSampler extends Thread {
        private final Process process;
        private final Path status;
        private volatile long kilobytes = -1;

        PeakRssSampler(Process process) {
            super("peak-rss-" + process.pid());
            setDaemon(true);
            this.process = process;
            this.status = Paths.get("/proc", Long.toString(process.pid()), "status");
        }

        @Override
        public void run() {
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            kilobytes = Math.max(kilobytes, Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                    Thread.sleep(RSS_SAMPLE_MILLIS);
                } catch (java.io.IOException | RuntimeException e) {
                    return; // gone meanwhile, or no /proc here
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        double megabytes() {
            return kilobytes < 0 ? -1 : kilobytes / 1024.0;
        }
    }

    private static double field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Double.parseDouble(part.substring(name.length() + 1));
            }
        }
        throw new IllegalArgumentException(name + " missing in " + line);
    }

    private static double[] medianOf(List<double[]> runs) {
        double[] result = new double[runs.get(0).length];
        for (int m = 0; m < result.length; m++) {
            result[m] = median(column(runs, m));
        }
        return result;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String row(double[] values, String format) {
        StringBuilder row = new StringBuilder();
        for (double value : values) {
            row.append(String.format(Locale.ROOT, format, value));
        }
        return row.toString();
    }

    private static String row(String[] headers, int width) {
        StringBuilder row = new StringBuilder();
        for (String header : headers) {
            row.append(String.format(Locale.ROOT, "%" + width + "s", header));
        }
        return row.toString();
    }
}
