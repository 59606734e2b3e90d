package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK HTTP client the agent exports to Langfuse with. Its selector thread waits in a native
 * call, and a JVM exits some 300 ms late while such a thread is there: a JVM that traces nothing
 * must never start it, and one that exported must shut it down with the exporter (through
 * {@code HttpClient.shutdownNow()} on JDK 21 and later, by interrupting that thread before).
 */
class ExportClientIT {

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anApplicationThatTracesNothingStartsNoHttpClient(Path jdk) {
        JvmRun.Result plain = JvmRun.on(jdk)
                .mainClass(JvmRun.VOICE_APP_CLASSES, "dev.voicetrace.testapp.openai.NoSdkApp")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .mainClass(JvmRun.VOICE_APP_CLASSES, "dev.voicetrace.testapp.openai.NoSdkApp")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            assertTrue(plain.stdout.contains("http client threads: 0"), plain::toString);
            // The application counts the HTTP client's threads at the end of its main.
            assertEquals(plain.stdout, traced.stdout, traced::toString);
            assertTrue(traced.stderr.contains("Voicetrace stopped: queued=0"), traced::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theHttpClientIsShutDownWithTheExporter(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.log.level", "debug")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "1")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertRanCleanly();
            // One turn: STT, the model call asking for the tool, the tool, the follow-up, TTS, the turn.
            assertEquals(6, langfuse.awaitSpans(6, Duration.ofSeconds(30)).size(), traced::toString);
            // Said only when the client's selector thread was found by name and has ended.
            assertTrue(traced.stderr.contains("the export HTTP client is shut down"), traced::toString);
            assertFalse(traced.stderr.contains("the export HTTP client's thread"), traced::toString);
        }
    }
}
