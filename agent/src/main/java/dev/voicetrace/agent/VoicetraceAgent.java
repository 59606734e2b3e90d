package dev.voicetrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It puts the bootstrap classes on the bootstrap class path,
 * then starts the agent. Nothing here may throw into the JVM's start-up: any failure is one log
 * line and the application runs untraced.
 */
public final class VoicetraceAgent {

    private static final String BOOTSTRAP_JAR = "/voicetrace-inst/voicetrace-bootstrap.jar";

    private VoicetraceAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, true);
    }

    private static synchronized void start(Instrumentation instrumentation, boolean lateAttach) {
        try {
            appendBootstrapJar(instrumentation);
            // Loaded only after the bootstrap classes are visible: it links against them.
            AgentRuntime.start(instrumentation, lateAttach);
        } catch (Throwable t) {
            System.err.println("[voicetrace] agent disabled, could not start: " + t);
        }
    }

    private static void appendBootstrapJar(Instrumentation instrumentation) throws IOException {
        try (InputStream in = VoicetraceAgent.class.getResourceAsStream(BOOTSTRAP_JAR)) {
            if (in == null) {
                throw new IOException("bootstrap jar missing from the agent jar");
            }
            File file = File.createTempFile("voicetrace-bootstrap", ".jar");
            file.deleteOnExit();
            Files.copy(in, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file));
        }
    }
}
