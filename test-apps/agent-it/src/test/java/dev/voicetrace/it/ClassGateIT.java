package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVM's class-file hook is on after start-up only while a class the agent changes is defined.
 * The SDK's classes, loaded after that, are still changed; and where classes can reach the JVM
 * without {@code ClassLoader.defineClass} (an application class-data archive), the hook stays on.
 */
class ClassGateIT {

    private static final int TURNS = 2;
    /** As in {@link VoicePipelineIT}: turn 1 has STT, two LLM calls, the tool between them and TTS. */
    private static final int SPANS = TURNS + 5 + 3 * (TURNS - 1);
    private static final String CLOSED = "the class-file hook is on only while a class the agent changes is defined";
    private static final String OPENAI_INSTALLED = "instrumentation for openai installed";

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void sdkClassesDefinedAfterTheHookWentOffAreStillTraced(Path jdk) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.log.level", "debug")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            int closed = traced.stderr.indexOf(CLOSED);
            int installed = traced.stderr.indexOf(OPENAI_INSTALLED);
            assertTrue(closed >= 0 && installed > closed,
                    "the hook goes off before the application first loads the SDK: " + traced.stderr);
            assertSpans(langfuse, traced);
        }
    }

    /**
     * For a traced run of the LangChain4j app at the debug log level. That app loads its library's
     * first class during the agent's start-up, so that class waits inside the class-file hook for
     * the start-up work. The gate must still close, every run: it used to be closed by an action on
     * the start-up work's future, which the waiting thread could run itself, inside the hook, where
     * ClassLoader could not be woven (the hook then stayed on, in about a third of the runs on JDK
     * 25). Each of that app's traced runs in {@link LangChain4jIT} and {@link ToolObservationsIT}
     * checks it, two runs per JDK.
     */
    static void assertGateClosedAfterEarlyLibrary(JvmRun.Result traced) {
        assertTrue(traced.stderr.contains("instrumentation for langchain4j installed on loading"), traced::toString);
        assertTrue(traced.stderr.contains(CLOSED), () -> "the class-file gate closed: " + traced.stderr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withAnApplicationClassArchiveTheHookStaysOn(Path jdk) throws Exception {
        Path directory = Files.createTempDirectory("voicetrace-cds");
        try {
            runWithArchive(jdk, directory);
        } finally {
            try (Stream<Path> files = Files.list(directory)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.deleteIfExists(directory);
        }
    }

    private static void runWithArchive(Path jdk, Path directory) throws Exception {
        Path archive = directory.resolve("app.jsa");
        // The archive is made without the agent, so that it holds the SDK's classes as they are.
        JvmRun.Result dump = JvmRun.on(jdk).jvmOption("-XX:ArchiveClassesAtExit=" + archive)
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, dump.exitCode, dump::toString);
        assertTrue(Files.size(archive) > 0, dump::toString);
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.log.level", "debug")
                    .jvmOption("-XX:SharedArchiveFile=" + archive)
                    .jvmOption("-Xlog:class+load=info:file=" + directory.resolve("classes.log"))
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            assertTrue(traced.stderr.contains("the class-file hook stays on: the JVM may load classes from an archive"),
                    traced::toString);
            String classes = Files.readString(directory.resolve("classes.log"));
            assertTrue(classes.contains("com.openai.client.okhttp.OpenAIOkHttpClient source: shared objects file"),
                    "the SDK's classes come from the archive, the case this covers");
            assertSpans(langfuse, traced);
        }
    }

    private static void assertSpans(LangfuseStandIn langfuse, JvmRun.Result traced) throws Exception {
        List<ReceivedSpan> spans = langfuse.awaitSpans(SPANS, Duration.ofSeconds(30));
        assertEquals(SPANS, spans.size(), traced::toString);
        langfuse.assertAllValid();
    }
}
