package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts an application in a separate JVM, optionally with the agent, and collects its output. */
final class JvmRun {

    static final Path AGENT_JAR = Paths.get(System.getProperty("voicetrace.agent.jar"));
    static final Path VOICE_APP_JAR = Paths.get(System.getProperty("voicetrace.voice.app.jar"));
    static final Path SPEECH_APP_JAR = Paths.get(System.getProperty("voicetrace.speech.app.jar", "speech-rest-app.jar"));
    static final Path VOICE_APP_CLASSES = Paths.get(System.getProperty("voicetrace.voice.app.classes"));

    private final Path javaHome;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private List<String> launch = new ArrayList<>();
    private Path workingDirectory;
    private boolean withAgent;

    private JvmRun(Path javaHome) {
        this.javaHome = javaHome;
    }

    static JvmRun on(Path javaHome) {
        return new JvmRun(javaHome);
    }

    JvmRun withAgent() {
        withAgent = true;
        return this;
    }

    JvmRun property(String name, String value) {
        jvmOptions.add("-D" + name + "=" + value);
        return this;
    }

    JvmRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** The agent's Langfuse settings, from the environment variables the Langfuse SDKs read. */
    JvmRun exportingTo(dev.voicetrace.standin.LangfuseStandIn langfuse) {
        return env("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY)
                .env("LANGFUSE_SECRET_KEY", VoicePipelineIT.SECRET_KEY)
                .env("LANGFUSE_HOST", langfuse.url());
    }

    JvmRun env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    JvmRun in(Path directory) {
        workingDirectory = directory;
        return this;
    }

    JvmRun jar(Path jar, String... arguments) {
        launch = new ArrayList<>(List.of("-jar", jar.toString()));
        launch.addAll(List.of(arguments));
        return this;
    }

    /** Runs {@code mainClass} from a class path of several entries (jars, {@code dir/*}), first wins. */
    JvmRun mainClass(List<String> classPath, String mainClass, String... arguments) {
        return mainClass(Paths.get(String.join(java.io.File.pathSeparator, classPath)), mainClass, arguments);
    }

    JvmRun mainClass(Path classPath, String mainClass, String... arguments) {
        launch = new ArrayList<>(List.of("-cp", classPath.toString(), mainClass));
        launch.addAll(List.of(arguments));
        return this;
    }

    Result run(Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-Xshare:auto");
        if (withAgent) {
            command.add("-javaagent:" + AGENT_JAR);
        }
        command.addAll(jvmOptions);
        command.addAll(launch);
        ProcessBuilder builder = new ProcessBuilder(command);
        // The tests decide what the application sees: no inherited Langfuse or agent settings.
        builder.environment().keySet().removeIf(k -> k.startsWith("LANGFUSE_") || k.startsWith("VOICETRACE_")
                || k.startsWith("OPENAI_") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            Pump out = new Pump(process.getInputStream());
            Pump err = new Pump(process.getErrorStream());
            out.start();
            err.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command + "\nstderr:\n" + err.text());
            }
            out.join();
            err.join();
            return new Result(process.exitValue(), out.text(), err.text(),
                    Duration.ofNanos(System.nanoTime() - started), command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static final class Result {
        final int exitCode;
        final String stdout;
        final String stderr;
        final Duration elapsed;
        final List<String> command;

        Result(int exitCode, String stdout, String stderr, Duration elapsed, List<String> command) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.elapsed = elapsed;
            this.command = command;
        }

        /**
         * This run, with the agent, against {@code plain}, the same application run without it:
         * both exit 0 with the same output, and the agent understood every library version it met.
         */
        void assertUnchangedFrom(Result plain) {
            assertEquals(0, plain.exitCode, plain::toString);
            assertRanCleanly();
            assertEquals(plain.stdout, stdout, "the agent must not change the application's output");
        }

        /**
         * This run, with the agent, exited 0 and the agent understood every library version it met;
         * for an application whose output is compared with a run without the agent elsewhere.
         */
        void assertRanCleanly() {
            assertEquals(0, exitCode, this::toString);
            assertFalse(stderr.contains("not supported"), () -> "every library version is understood: " + stderr);
        }

        /** Lines starting with a prefix, e.g. {@code "turn 2 heard: "}, with the prefix removed. */
        String valueAfter(String prefix) {
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
            throw new AssertionError("no line starting with '" + prefix + "' in:\n" + stdout);
        }

        @Override
        public String toString() {
            return "exit=" + exitCode + " command=" + command + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static final class Pump extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Pump(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                in.transferTo(buffer);
            } catch (IOException ignored) {
                // The process ended; what was read is kept.
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
