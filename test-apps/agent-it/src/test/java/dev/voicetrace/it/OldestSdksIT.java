package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo against the oldest supported minors, openai-java 4.0.0 and anthropic-java 3.0.0, put
 * ahead of the demo's newer copies on the class path: the agent recognises them (no "not
 * supported" line), reads every call, and the application's output is unchanged.
 */
class OldestSdksIT {

    private static final Path OLDEST_SDKS = Paths.get(System.getProperty("voicetrace.oldest.sdk.dir"));
    private static final String DEMO = "dev.voicetrace.testapp.openai.VoicePipelineApp";

    static Stream<Arguments> runs() {
        return Stream.of(
                // Turn 1 calls a tool: STT + 2 LLM + the tool + TTS; later turns STT + LLM + TTS; plus a root per turn.
                Arguments.of("openai-java 4.0.0", new String[] {"--turns", "4"}, 4 + 5 + 3 * 3),
                Arguments.of("anthropic-java 3.0.0 between openai-java 4.0.0 speech stages",
                        new String[] {"--turns", "2", "--llm-provider", "anthropic"}, 2 + 5 + 3),
                Arguments.of("openai-java 4.0.0 Responses API and streamed transcription",
                        new String[] {"--turns", "2", "--llm-api", "responses", "--stt-streaming"}, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theOldestSupportedMinorsAreTraced(String name, String[] args, int expectedSpans) throws Exception {
        assertTrue(Files.isRegularFile(OLDEST_SDKS.resolve("openai-java-core-4.0.0.jar")), OLDEST_SDKS::toString);
        List<String> classPath = List.of(OLDEST_SDKS.resolve("*").toString(), JvmRun.VOICE_APP_JAR.toString());
        Path jdk = Paths.get(System.getProperty("java.home"));
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result plain = JvmRun.on(jdk).mainClass(classPath, DEMO, args).run(VoicePipelineIT.RUN_TIMEOUT);
            JvmRun.Result traced = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .mainClass(classPath, DEMO, args).run(VoicePipelineIT.RUN_TIMEOUT);
            traced.assertUnchangedFrom(plain);
            assertFalse(traced.stderr.contains("could not read the call"), traced::toString);
            assertTrue(traced.stderr.contains("extraction_errors=0"), traced::toString);
            // every member the readers require was found in these versions, at start and at every read
            assertFalse(traced.stderr.contains("SDK drift"), traced::toString);

            int turns = Integer.parseInt(args[1]);
            int atLeast = expectedSpans > 0 ? expectedSpans : turns * 4;
            List<ReceivedSpan> spans = langfuse.awaitSpans(atLeast, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            if (expectedSpans > 0) {
                assertEquals(expectedSpans, spans.size(), () -> Spans.names(spans).toString());
            }
            List<ReceivedSpan> generations = spans.stream()
                    .filter(s -> "generation".equals(s.attribute("langfuse.observation.type")))
                    .collect(Collectors.toList());
            assertTrue(generations.size() >= 3 * turns, () -> Spans.names(spans).toString());
            for (ReceivedSpan generation : generations) {
                assertTrue(generation.attribute("langfuse.observation.model.name") != null, generation::toString);
                // tokens as usage; speech by its characters, which are not tokens
                assertTrue(generation.attribute("langfuse.observation.usage_details") != null
                        || generation.attribute("langfuse.observation.metadata.tts_characters") != null,
                        generation::toString);
            }
            assertEquals(turns, spans.stream().map(ReceivedSpan::traceId).distinct().count(), "one trace per turn");
        }
    }
}
