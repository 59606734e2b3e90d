package dev.voicetrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * The {@code -javaagent} entry point. It puts the bootstrap classes on the bootstrap class path,
 * then starts the agent. Nothing here may throw into the JVM's start-up: any failure is one log
 * line and the application runs untraced.
 */
public final class VoicetraceAgent {

    private static final String BOOTSTRAP_JAR = "/voicetrace-inst/voicetrace-bootstrap.jar";
    /** One of the bootstrap classes, to tell whether they are visible from the boot loader. */
    private static final String PROBE_CLASS = "dev.voicetrace.bootstrap.VoicetraceHooks";

    private VoicetraceAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, true);
    }

    private static synchronized void start(Instrumentation instrumentation, boolean lateAttach) {
        try {
            openJdkClassFilesOnce();
            appendBootstrapJar(instrumentation);
            // Loaded only after the bootstrap classes are visible: it links against them.
            AgentRuntime.start(instrumentation, lateAttach);
        } catch (Throwable t) {
            System.err.println("[voicetrace] agent disabled, could not start: " + t);
        }
    }

    /**
     * Reads a JDK class file once, here, before the agent installs anything: the weaver reads the
     * JDK's class files through {@code jrt:} URLs, whose connection class is loaded on first use.
     * Left to the agent's installer thread, that first use can coincide with another agent's start
     * (the OpenTelemetry agent, attached after this one, registering its transformers on the main
     * thread); the connection class then fails to load with a {@code ClassCircularityError} that the
     * JVM keeps for every later use, and nothing the agent instruments afterwards (thread pools,
     * the JDK's HTTP client, the SDKs) can be changed.
     */
    private static void openJdkClassFilesOnce() {
        try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/Object.class")) {
            // opening it is enough: the connection's class is loaded now, with no transformer about
        } catch (IOException | RuntimeException | LinkageError e) {
            // the weaver opens it later, as it would have anyway
        }
    }

    private static void appendBootstrapJar(Instrumentation instrumentation) throws IOException {
        if (alreadyVisible()) {
            return;
        }
        try {
            defineInBootLoader(instrumentation);
            return;
        } catch (Exception | LinkageError e) {
            // Appending costs class-data sharing for the application's classes, but always works.
            if (!alreadyVisible()) {
                System.err.println("[voicetrace] bootstrap classes appended to the boot class path (" + e + ")");
            }
        }
        if (alreadyVisible()) {
            return;
        }
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

    /** A second start (attached again) finds the classes of the first. */
    private static boolean alreadyVisible() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Defines the bootstrap jar's classes in the boot class loader itself rather than appending
     * the jar to the boot class path: appending makes the JVM give up class-data sharing for every
     * class not loaded by the boot loader (the JVM warns about it on stderr). The definer runs in a
     * class loader of its own, the only module given the JDK-internal access it needs.
     */
    private static void defineInBootLoader(Instrumentation instrumentation) throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (InputStream in = VoicetraceAgent.class.getResourceAsStream(BOOTSTRAP_JAR)) {
            if (in == null) {
                throw new IOException("bootstrap jar missing from the agent jar");
            }
            JarInputStream jar = new JarInputStream(in);
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                            jar.readAllBytes());
                }
            }
        }
        IsolatedLoader loader = new IsolatedLoader();
        Class<?> injector = loader.define(BootstrapInjector.class.getName(),
                bytesOf("/" + BootstrapInjector.class.getName().replace('.', '/') + ".class"));
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Collections.emptySet(),
                Collections.singletonMap("jdk.internal.misc", Collections.singleton(loader.getUnnamedModule())),
                Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        injector.getMethod("inject", Map.class).invoke(null, classes);
    }

    private static byte[] bytesOf(String resource) throws IOException {
        try (InputStream in = VoicetraceAgent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }

    /** A loader with the boot loader as parent, holding only the injector. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader() {
            super("voicetrace-injector", null);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
