package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options as a new user mistypes them: each gets one warning line naming the option, the value,
 * what is accepted and the value used, a misspelt name is told with the closest known option, and
 * the agent still starts and traces the demo with the values it said it uses.
 */
class OptionWarningsIT {

    @Test
    void everyMalformedOptionIsSaidAndTheAgentStillTraces(@TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        JvmRun.Result run = JvmRun.on(Jdks.all().get(0)).withAgent()
                .property("voicetrace.file.path", events.toString())
                .property("voicetrace.batch.max.items", "abc")
                .property("voicetrace.export.queue.size", "-5")
                .property("voicetrace.exporter", "bogus")
                .property("voicetrace.langfuse.api", "grpc")
                .property("voicetrace.turn.idle.ms", "0")
                .property("voicetrace.capture.content", "everything")
                .property("voicetrace.redact", "cards,email")
                .property("voicetrace.sample.rate", "2")
                .property("voicetrace.sample.keep.errors", "maybe")
                .property("voicetrace.instrumentation.openai.enabled", "nope")
                .property("voicetrace.redcat", "all")
                .env("VOICETRACE_TAGZ", "voice")
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "1")
                .run(VoicePipelineIT.RUN_TIMEOUT);
        assertEquals(0, run.exitCode, run::toString);
        List<String> expected = List.of(
                "WARN option voicetrace.batch.max.items=abc is not understood: accepted is an integer from 1 to 100000;"
                        + " using 200",
                "WARN option voicetrace.export.queue.size=-5 is not understood: accepted is an integer from 1 to"
                        + " 10000000; using 8192",
                "WARN option voicetrace.exporter=bogus is not understood: accepted is one of auto, langfuse, file, none;"
                        + " using auto",
                "WARN option voicetrace.langfuse.api=grpc is not understood: accepted is one of otel, ingestion;"
                        + " using otel",
                "WARN option voicetrace.turn.idle.ms=0 is not understood: accepted is an integer from 100 to 86400000;"
                        + " using 30000",
                "WARN option voicetrace.capture.content=everything is not understood: accepted is one of full, metadata;"
                        + " using full",
                "WARN option voicetrace.redact=cards,email is not understood: accepted is none, all, or a"
                        + " comma-separated list of email, iban, card, ssn, phone; using all of them",
                "WARN option voicetrace.sample.rate=2 is not understood: accepted is a number from 0 to 1; using 1",
                "WARN option voicetrace.sample.keep.errors=maybe is not understood: accepted is true or false; using true",
                "WARN option voicetrace.instrumentation.openai.enabled=nope is not understood: accepted is true or false;"
                        + " using true",
                "WARN unknown option voicetrace.redcat is ignored; the closest known option is voicetrace.redact",
                "WARN unknown environment variable VOICETRACE_TAGZ is ignored; the closest known one is VOICETRACE_TAGS");
        for (String line : expected) {
            long count = run.stderr.lines().filter(l -> l.endsWith(line)).count();
            assertEquals(1, count, () -> "once: " + line + "\n" + run.stderr);
        }
        // The path is not compared in the log line: the card redactor (on by default, here with
        // every other) reads the agent's log lines too, and masks a run of digits in the temporary
        // directory's name that passes the card check. The events file below is read at that path.
        assertTrue(run.stderr.contains("started; exporting to local file "), run::toString);
        // The values used are the ones said: the turn is one turn (30 s idle, not 0), traced in full.
        String written = Files.readString(events, StandardCharsets.UTF_8);
        assertEquals(1, written.split("\"name\":\"voice-turn\"", -1).length - 1, written);
        assertTrue(written.contains("stt openai.audio.transcriptions") && written.contains("tts openai.audio.speech"),
                written);
    }

    /** {@code voicetrace.instrumentation.openai.enabled=false}: no openai-java class is transformed, nothing traced. */
    @Test
    void aLibrarySwitchedOffIsLeftUntouched(@TempDir Path dir) {
        Path on = dir.resolve("on.jsonl");
        Path off = dir.resolve("off.jsonl");
        JvmRun.Result enabled = JvmRun.on(Jdks.all().get(0)).withAgent().property("voicetrace.log.level", "debug")
                .property("voicetrace.file.path", on.toString())
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "1").run(VoicePipelineIT.RUN_TIMEOUT);
        JvmRun.Result disabled = JvmRun.on(Jdks.all().get(0)).withAgent().property("voicetrace.log.level", "debug")
                .property("voicetrace.file.path", off.toString())
                .property("voicetrace.instrumentation.openai.enabled", "false")
                .jar(JvmRun.VOICE_APP_JAR, "--turns", "1").run(VoicePipelineIT.RUN_TIMEOUT);
        disabled.assertUnchangedFrom(enabled);
        assertTrue(enabled.stderr.contains("instrumented com.openai."), enabled::toString);
        assertTrue(Files.exists(on), enabled::toString);
        assertTrue(disabled.stderr.contains("instrumentation switched off for openai"), disabled::toString);
        assertTrue(disabled.stderr.lines().noneMatch(line -> line.contains("instrumented com.openai.")),
                disabled::toString);
        assertTrue(!Files.exists(off), "nothing traced: " + disabled);
    }
}
