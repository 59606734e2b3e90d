package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The host application runs exactly as without the agent when things around it go wrong. */
class HostAppSafetyIT {

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anApplicationWithoutAnySdkIsUntouched(Path jdk) {
        JvmRun.Result plain = JvmRun.on(jdk)
                .mainClass(JvmRun.VOICE_APP_CLASSES, "dev.voicetrace.testapp.openai.NoSdkApp")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        JvmRun.Result traced = JvmRun.on(jdk).withAgent()
                .mainClass(JvmRun.VOICE_APP_CLASSES, "dev.voicetrace.testapp.openai.NoSdkApp")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, traced.exitCode, traced::toString);
        assertEquals(plain.stdout, traced.stdout);
        assertTrue(traced.stdout.startsWith("no-sdk app done: "), traced::toString);
        assertFalse(traced.stderr.contains("Exception"), traced::toString);
        assertFalse(traced.stderr.contains("WARN"), "no SDK is no reason to warn: " + traced.stderr);
        // The bootstrap classes are defined in the boot loader, not appended to its class path,
        // which would cost the application class-data sharing for its own classes.
        assertFalse(traced.stderr.contains("appended to the boot class path"), traced::toString);
        assertFalse(traced.stderr.contains("Sharing is only supported"), traced::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUnreachableLangfuseChangesNothingForTheApplication(Path jdk) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, "--turns", "2").run(VoicePipelineIT.RUN_TIMEOUT);
        JvmRun.Result traced = JvmRun.on(jdk).withAgent()
                .env("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY)
                .env("LANGFUSE_SECRET_KEY", VoicePipelineIT.SECRET_KEY)
                .env("LANGFUSE_BASE_URL", "http://127.0.0.1:" + closedPort)
                .property("voicetrace.shutdown.timeout.ms", "3000")
                .property("voicetrace.batch.delay.ms", "100")
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "2")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, traced.exitCode, traced::toString);
        assertEquals(plain.stdout, traced.stdout);
        assertTrue(traced.stderr.contains("Voicetrace stopped:"), "the agent reports at shutdown: " + traced.stderr);
        assertTrue(traced.stderr.contains("could not deliver") || traced.stderr.contains("are lost"),
                "undelivered observations are reported: " + traced.stderr);
        assertFalse(traced.stderr.contains("\tat "), "no stack trace reaches the application's stderr");
        assertFalse(traced.stderr.contains(VoicePipelineIT.SECRET_KEY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aMalformedSdkResponseFailsTheSameWayWithTheAgent(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, "--turns", "2", "--malformed")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "2", "--malformed")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, traced.exitCode, traced::toString);
            assertEquals(plain.stdout, traced.stdout);
            assertTrue(traced.stdout.contains("turn 1 failed: "), traced::toString);

            // Each turn: STT and an LLM call whose response the application could not use; no TTS.
            List<ReceivedSpan> spans = langfuse.awaitSpans(2 * 3, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            List<ReceivedSpan> llm = spans.stream().filter(s -> s.name().startsWith("llm "))
                    .collect(Collectors.toList());
            assertEquals(2, llm.size(), () -> Spans.names(spans).toString());
            assertTrue(spans.stream().noneMatch(s -> s.name().startsWith("tts ")));
        }
    }
}
