package dev.voicetrace.reportit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM on the JDK running the tests: an application under the agent, or the agent jar's command. */
final class JavaRun {

    static final Path AGENT_JAR = Paths.get(System.getProperty("voicetrace.agent.jar"));
    static final Path VOICE_APP_JAR = Paths.get(System.getProperty("voicetrace.voice.app.jar"));

    final int exitCode;
    final String stdout;
    final String stderr;

    private JavaRun(int exitCode, String stdout, String stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static JavaRun run(Path directory, Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LANGFUSE_") || k.startsWith("VOICETRACE_")
                || k.startsWith("OPENAI_") || k.equals("JAVA_TOOL_OPTIONS"));
        Path out = Files.createTempFile(directory, "stdout", ".txt");
        Path err = Files.createTempFile(directory, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + ": " + command);
        }
        JavaRun run = new JavaRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    @Override
    public String toString() {
        return "exit=" + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
}
