package dev.voicetrace.testapp.realtime.bench;

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

/**
 * The WebSocket workload of the benchmark: {@link SocketWorkload} in fresh JVMs, round by round
 * without the agent and with it (the sockets recognised as Deepgram's, exporting to the local
 * file), and the medians of CPU per audio frame, CPU per text event and heap per open socket with
 * the agent's additions.
 *
 * <p>{@code java -cp realtime-voice-app.jar dev.voicetrace.testapp.realtime.bench.SocketBench
 * --agent agent/target/voicetrace-agent.jar [--rounds 5] [--jvm-args "-Xmx512m"]}; add
 * {@code -Dbench.client=jakarta} to the JVM arguments for the Jakarta WebSocket client API.
 */
public final class SocketBench {

    private SocketBench() {}

    public static void main(String[] args) throws Exception {
        String agent = null;
        int rounds = 5;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent":
                    agent = args[++i];
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--jvm-args":
                    jvmArgs.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (agent == null) {
            throw new IllegalArgumentException("--agent path/to/voicetrace-agent.jar is required");
        }
        Path events = Files.createTempFile("socket-bench", ".jsonl");
        double[][] plain = new double[rounds][];
        double[][] traced = new double[rounds][];
        for (int round = 0; round < rounds; round++) {
            plain[round] = child(jvmArgs, null, events);
            traced[round] = child(jvmArgs, agent, events);
            System.out.printf(Locale.ROOT, "round %d: no agent %s, agent %s%n", round + 1, Arrays.toString(plain[round]),
                    Arrays.toString(traced[round]));
        }
        String[] names = {"CPU per audio frame (ns)", "CPU per text event (ns)", "heap per open socket (bytes)"};
        System.out.println("| WebSocket workload | no agent | Voicetrace | added |");
        System.out.println("|---|---|---|---|");
        for (int metric = 0; metric < names.length; metric++) {
            double without = median(plain, metric);
            double with = median(traced, metric);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %+.0f |%n", names[metric], without, with, with - without);
        }
        Files.deleteIfExists(events);
    }

    private static double median(double[][] rows, int column) {
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i][column];
        }
        Arrays.sort(values);
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static double[] child(List<String> jvmArgs, String agent, Path events) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (agent != null) {
            command.add("-javaagent:" + agent);
            command.add("-Dvoicetrace.deepgram.hosts=127.0.0.1");
            command.add("-Dvoicetrace.exporter=file");
            command.add("-Dvoicetrace.file.path=" + events);
            command.add("-Dvoicetrace.console.summary=false");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SocketWorkload.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("LANGFUSE_") || k.startsWith("VOICETRACE_"));
        Process process = builder.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("result ")) {
                    result = line;
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("benchmark child failed:\n" + output);
        }
        double[] values = new double[3];
        String[] parts = result.substring("result ".length()).split(" ");
        for (int i = 0; i < 3; i++) {
            values[i] = Double.parseDouble(parts[i].substring(parts[i].indexOf('=') + 1));
        }
        return values;
    }
}
