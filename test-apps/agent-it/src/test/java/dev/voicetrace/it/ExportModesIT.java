package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.standin.LangfuseSchema;
import dev.voicetrace.standin.LangfuseStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The legacy ingestion API for self-hosted Langfuse, and the local JSON-lines default. */
class ExportModesIT {

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void legacyIngestionEventsAreValidAndPerEventErrorsAreReported(Path jdk) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            langfuse.enqueueIngestionRejections(2);
            JvmRun.Result run = JvmRun.on(jdk).withAgent()
                    .property("langfuse.public.key", VoicePipelineIT.PUBLIC_KEY)
                    .property("langfuse.secret.key", VoicePipelineIT.SECRET_KEY)
                    .property("langfuse.host", langfuse.url() + "/")
                    .property("voicetrace.langfuse.api", "ingestion")
                    .property("voicetrace.batch.max.items", "5")
                    // Batches by count only (the last one at shutdown), so that the first batch,
                    // which the stand-in answers with two rejections, always holds five events.
                    .property("voicetrace.batch.delay.ms", "60000")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "2", "--mdc-session", "caller-555")
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, run.exitCode, run::toString);

            // 2 turns: 4 + 3 generations, the tool of turn 1, and per turn a trace-create and a span-create.
            List<JsonNode> events = langfuse.awaitIngestionEvents(12, Duration.ofSeconds(30));
            assertEquals(12, events.size());
            langfuse.assertAllValid();
            assertTrue(langfuse.requests().stream().allMatch(r -> r.path().equals(LangfuseStandIn.INGESTION_PATH)));

            List<JsonNode> generations = ofType(events, "generation-create");
            List<JsonNode> traces = ofType(events, "trace-create");
            assertEquals(7, generations.size());
            assertEquals(2, traces.size());
            assertEquals(2, ofType(events, "span-create").size());
            List<JsonNode> tools = ofType(events, "observation-create");
            assertEquals(1, tools.size());
            assertEquals("TOOL", tools.get(0).path("body").path("type").asText());
            assertEquals("tool get_weather", tools.get(0).path("body").path("name").asText());
            for (JsonNode trace : traces) {
                assertEquals("caller-555", trace.path("body").path("sessionId").asText(), "MDC session id");
            }
            Set<String> eventIds = new HashSet<>();
            events.forEach(e -> eventIds.add(e.path("id").asText()));
            assertEquals(events.size(), eventIds.size(), "event ids are unique");
            for (JsonNode generation : generations) {
                JsonNode body = generation.path("body");
                // tokens as usage; speech is billed by characters, which are metadata, not usage
                assertTrue(body.path("usageDetails").size() > 0 || body.at("/metadata/tts_characters").isTextual(),
                        body::toString);
                assertTrue(body.path("costDetails").path("total").asDouble() > 0, body::toString);
            }

            assertTrue(run.stderr.contains("Langfuse rejected an event"), run::toString);
            assertTrue(run.stderr.contains("rejected=2"), run::toString);
            assertFalse(run.stderr.contains(VoicePipelineIT.SECRET_KEY));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutLangfuseKeysEventsGoToALocalFileAndTurnsToStderr(Path jdk, @TempDir Path directory)
            throws Exception {
        Path file = directory.resolve("events.jsonl");
        JvmRun.Result plain = JvmRun.on(jdk).jar(JvmRun.VOICE_APP_JAR, "--turns", "3").run(VoicePipelineIT.RUN_TIMEOUT);
        JvmRun.Result traced = JvmRun.on(jdk).withAgent().in(directory)
                .property("voicetrace.file.path", file.toString())
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "3")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, traced.exitCode, traced::toString);
        assertEquals(plain.stdout, traced.stdout);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertFalse(lines.isEmpty());
        int spans = 0;
        for (String line : lines) {
            LangfuseSchema.load().assertValidOtlpRequest(line);
            spans += line.split("\"spanId\"", -1).length - 1;
        }
        assertEquals(3 + 5 + 3 + 3, spans, "every observation and turn is in the file");
        for (int turn = 1; turn <= 3; turn++) {
            assertTrue(traced.stderr.contains("[voicetrace] turn " + turn + " session="), traced::toString);
        }
        assertTrue(traced.stderr.contains("voice_to_voice="), traced::toString);
        assertTrue(traced.stderr.contains(" tool_time="), "turn 1's line shows its tool time: " + traced.stderr);
    }

    private static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).collect(Collectors.toList());
    }
}
