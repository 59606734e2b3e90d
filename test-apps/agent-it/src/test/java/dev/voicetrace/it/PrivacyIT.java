package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import dev.voicetrace.standin.RecordedCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What leaves the process. The payment-call demo's caller reads out a card number, an e-mail
 * address and a phone number; they are in the transcript, the model's tool call arguments, its
 * reply, the speech input and a failed call's error message. With redaction on, none of them is in
 * any byte the agent sends to Langfuse (OTLP or legacy ingestion, decompressed), writes to the
 * events file or the spool directory, or prints on stderr; in metadata mode no transcript or reply
 * text leaves at all; with redaction off, they are exported as captured.
 */
class PrivacyIT {

    private static final String APP = "dev.voicetrace.testapp.openai.PaymentCallApp";
    /** The values of the test application's PaymentCallScript, in every form they could take. */
    private static final List<String> PERSONAL_DATA = List.of("4111 1111 1111 1111", "4111111111111111",
            "ana.silva@example.com", "ana.silva", "+44 20 7946 0958", "7946 0958");
    /** Words of the transcript, the reply, the tool result and the error, for metadata mode. */
    /**
     * Words of the conversation (what was said and answered), not of the tools' JSON structure: the
     * payment tool's result has a key {@code receipt_sent_to}, which metadata mode keeps as shape.
     */
    private static final List<String> CONVERSATION = List.of("pay my bill", "call me back", "I charged",
            "sent the receipt", "Refund refused", "refund the payment", "take card payments");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The root, the transcription, three model calls, the payment tool between two of them, the speech. */
    private static final int SPANS = 7;

    static Stream<Arguments> langfuseRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (Path jdk : Jdks.all()) {
            runs.add(Arguments.of(jdk, "otel"));
            runs.add(Arguments.of(jdk, "ingestion"));
        }
        return runs.stream();
    }

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    private static JvmRun payment(Path jdk) {
        return JvmRun.on(jdk).withAgent().property("voicetrace.redact", "all")
                .mainClass(JvmRun.VOICE_APP_JAR, APP, "--mdc-session", "payment-call-1");
    }

    private static void assertRanThrough(JvmRun.Result run) {
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.stdout.contains("1 tool call(s)") && run.stdout.contains("refund failed: BadRequestException"),
                run::toString);
        assertTrue(run.stderr.contains("Voicetrace 0.1.0"), run::toString);
    }

    private static void assertNoPersonalData(String where, String text) {
        for (String value : PERSONAL_DATA) {
            assertFalse(text.contains(value), () -> value + " found in " + where + ":\n" + text);
        }
    }

    private static String requestBodies(LangfuseStandIn langfuse) {
        return langfuse.requests().stream().map(RecordedCall::bodyUtf8).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("langfuseRuns")
    void noRequestToLangfuseAndNoLogLineHoldsTheCallersData(Path jdk, String api) {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result run = payment(jdk).exportingTo(langfuse).property("voicetrace.langfuse.api", api)
                    .run(TIMEOUT);
            assertRanThrough(run);
            if (api.equals("otel")) {
                List<ReceivedSpan> spans = langfuse.awaitSpans(SPANS, Duration.ofSeconds(30));
                assertEquals(SPANS, spans.size());
                ReceivedSpan tool = spans.stream().filter(s -> "tool".equals(s.attribute("langfuse.observation.type")))
                        .findFirst().orElseThrow(() -> new AssertionError("no tool observation"));
                assertTrue(String.valueOf(tool.attribute("langfuse.observation.input")).contains("[card]"),
                        "the tool's arguments pass the same redaction: " + tool);
            } else {
                // 5 generations, the tool's observation-create, one trace-create and one span-create.
                assertEquals(8, langfuse.awaitIngestionEvents(8, Duration.ofSeconds(30)).size());
            }
            langfuse.assertAllValid();
            String bodies = requestBodies(langfuse);
            assertNoPersonalData("the requests to Langfuse", bodies);
            assertNoPersonalData("stderr", run.stderr);
            // The content itself left, with markers where the data was: transcript, tool arguments, error.
            assertTrue(bodies.contains("My card number is [card], my e-mail is [email] and you can call me back on"
                    + " [phone]."), bodies);
            // The arguments are JSON in a JSON string (in OTLP, in a string attribute again): escaped once or twice.
            assertTrue(java.util.regex.Pattern.compile("card_number[\\\\\"]+:[\\\\\"]+\\[card\\]").matcher(bodies).find(),
                    "tool call arguments: " + bodies);
            assertTrue(bodies.contains("Refund refused: card [card] of [email] ([phone])"), "error message: " + bodies);
            assertTrue(bodies.contains("redactions"), bodies);
            assertTrue(run.stderr.contains("redactions="), run::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theEventsFileHoldsNoneOfIt(Path jdk, @TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        JvmRun.Result run = payment(jdk).property("voicetrace.exporter", "file")
                .property("voicetrace.file.path", events.toString()).run(TIMEOUT);
        assertRanThrough(run);
        String written = Files.readString(events, StandardCharsets.UTF_8);
        assertTrue(written.contains("[card]"), written);
        assertNoPersonalData("the events file", written);
        assertNoPersonalData("stderr", run.stderr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theSpoolDirectoryHoldsNoneOfIt(Path jdk, @TempDir Path dir) throws IOException {
        Path spool = dir.resolve("spool");
        // Langfuse cannot be reached: every batch ends in the spool directory.
        JvmRun.Result run = payment(jdk).env("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY)
                .env("LANGFUSE_SECRET_KEY", VoicePipelineIT.SECRET_KEY).env("LANGFUSE_HOST", "http://127.0.0.1:9")
                .property("voicetrace.spool.dir", spool.toString())
                .property("voicetrace.export.max.attempts", "1")
                .property("voicetrace.export.timeout.ms", "1000")
                .property("voicetrace.shutdown.timeout.ms", "3000")
                .run(TIMEOUT);
        assertRanThrough(run);
        List<Path> files;
        try (Stream<Path> listing = Files.list(spool)) {
            files = listing.collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), run::toString);
        StringBuilder spooled = new StringBuilder();
        for (Path file : files) {
            spooled.append(Files.readString(file, StandardCharsets.UTF_8));
        }
        assertTrue(spooled.toString().contains("[card]"), spooled::toString);
        assertNoPersonalData("the spool files", spooled.toString());
        assertNoPersonalData("stderr", run.stderr);
    }

    @Test
    void metadataModeExportsNoTranscriptOrReplyTextAtAll() {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result run = payment(Jdks.all().get(0)).exportingTo(langfuse)
                    .property("voicetrace.capture.content", "metadata").run(TIMEOUT);
            assertRanThrough(run);
            assertEquals(SPANS, langfuse.awaitSpans(SPANS, Duration.ofSeconds(30)).size());
            langfuse.assertAllValid();
            String bodies = requestBodies(langfuse);
            assertNoPersonalData("the requests to Langfuse", bodies);
            for (String words : CONVERSATION) {
                assertFalse(bodies.contains(words), () -> "'" + words + "' exported in metadata mode: " + bodies);
            }
            // Sizes, models, usage and cost still leave.
            assertTrue(bodies.contains("\"content\",\"value\":{\"stringValue\":\"omitted\"")
                    || bodies.contains("langfuse.observation.metadata.content"), bodies);
            assertTrue(bodies.contains("gpt-4o-mini") && bodies.contains("usage_details")
                    && bodies.contains("cost_details") && bodies.contains("input_chars"), bodies);
            assertTrue(bodies.contains("com.openai.errors.BadRequestException"), bodies);
        }
    }

    @Test
    void withRedactionOffTheContentLeavesAsCaptured() {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result run = JvmRun.on(Jdks.all().get(0)).withAgent().exportingTo(langfuse)
                    .property("voicetrace.redact", "none")
                    .mainClass(JvmRun.VOICE_APP_JAR, APP).run(TIMEOUT);
            assertRanThrough(run);
            assertEquals(SPANS, langfuse.awaitSpans(SPANS, Duration.ofSeconds(30)).size());
            String bodies = requestBodies(langfuse);
            for (String value : List.of("4111 1111 1111 1111", "ana.silva@example.com", "+44 20 7946 0958")) {
                assertTrue(bodies.contains(value), value);
            }
            for (String added : List.of("[card]", "redactions", "user.id", "langfuse.trace.tags", "omitted")) {
                assertFalse(bodies.contains(added), added + " in " + bodies);
            }
        }
    }
}
