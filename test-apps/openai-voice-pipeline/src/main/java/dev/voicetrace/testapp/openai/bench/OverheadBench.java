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

/**
 * Measures what the agent adds to an intercepted call: runs {@link CallLatencyBench} in fresh
 * JVMs without and with the agent, alternating, several rounds each, and prints per-call median
 * and p99 latency side by side with their ratio and difference. Run on demand, never in the test
 * suite: shared machines are noisy, so read the medians over rounds, not one number.
 *
 * <pre>java -cp openai-voice-pipeline.jar dev.voicetrace.testapp.openai.bench.OverheadBench
 *     --agent agent/target/voicetrace-agent.jar [--rounds 3] [--warmup 3000] [--calls 5000]</pre>
 */
public final class OverheadBench {

    private OverheadBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path agent = Paths.get(options.getOrDefault("--agent", "agent/target/voicetrace-agent.jar"));
        if (!Files.isRegularFile(agent)) {
            System.err.println("agent jar not found: " + agent + " (build it first, or pass --agent PATH)");
            System.exit(2);
        }
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        String warmup = options.getOrDefault("--warmup", "3000");
        String calls = options.getOrDefault("--calls", "5000");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Path events = Files.createTempFile("voicetrace-bench", ".jsonl");

        List<double[]> without = new ArrayList<>();
        List<double[]> with = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            without.add(run(List.of(java, "-cp", classPath, CallLatencyBench.class.getName(), warmup, calls)));
            with.add(run(List.of(java, "-javaagent:" + agent.toAbsolutePath(),
                    "-Dvoicetrace.file.path=" + events, "-Dvoicetrace.console.summary=false",
                    "-cp", classPath, CallLatencyBench.class.getName(), warmup, calls)));
            System.out.println(String.format(Locale.ROOT, "round %d: without median %.1f us p99 %.1f us | with "
                    + "median %.1f us p99 %.1f us", round, without.get(round - 1)[0], without.get(round - 1)[1],
                    with.get(round - 1)[0], with.get(round - 1)[1]));
        }
        Files.deleteIfExists(events);
        double[] base = medianOf(without);
        double[] traced = medianOf(with);
        System.out.println();
        System.out.println("per intercepted call (chat.completions.create, openai-java " + "over loopback), "
                + "median over " + rounds + " rounds of " + calls + " calls:");
        System.out.println(String.format(Locale.ROOT, "%-10s %12s %12s", "", "median_us", "p99_us"));
        System.out.println(String.format(Locale.ROOT, "%-10s %12.1f %12.1f", "no agent", base[0], base[1]));
        System.out.println(String.format(Locale.ROOT, "%-10s %12.1f %12.1f", "voicetrace", traced[0], traced[1]));
        System.out.println(String.format(Locale.ROOT, "%-10s %12.3f %12.3f", "ratio", traced[0] / base[0],
                traced[1] / base[1]));
        System.out.println(String.format(Locale.ROOT, "%-10s %12.1f %12.1f", "added_us", traced[0] - base[0],
                traced[1] - base[1]));
    }

    private static double[] run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("calls=")) {
                    result = line;
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("benchmark run failed: " + command);
        }
        return new double[] {field(result, "median_us"), field(result, "p99_us")};
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
        double[] result = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] values = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                values[r] = runs.get(r)[i];
            }
            Arrays.sort(values);
            result[i] = values[values.length / 2];
        }
        return result;
    }
}
