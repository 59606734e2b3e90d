package dev.voicetrace.agent.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Turns the agent's JSON-lines files into one self-contained HTML page. The files are read once,
 * as a stream: each completed turn is written to a scratch file beside the report at once and
 * only the figures stay in memory; the page is then written around that scratch file and moved
 * into place, so a report is either whole or not there.
 */
public final class ReportGenerator {

    /** What a run read and wrote. */
    public static final class Result {
        public final Path output;
        public final InputSummary input;
        public final int sessions;
        public final int turns;
        public final long observations;

        Result(Path output, InputSummary input, ReportData data) {
            this.output = output;
            this.input = input;
            this.sessions = data.sessions.size();
            this.turns = data.turns;
            this.observations = data.observations;
        }
    }

    private ReportGenerator() {}

    /**
     * Reads the files (or spool directories) and writes the report.
     *
     * @param cancelled polled between lines; when it turns true, generation stops with a
     *     {@link java.util.concurrent.CancellationException} and nothing is left behind
     */
    public static Result generate(List<Path> inputs, Path output, BooleanSupplier cancelled) throws IOException {
        Path target = output.toAbsolutePath();
        Path directory = target.getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        Path turnsFile = Files.createTempFile(directory, ".voicetrace-report-", ".turns.tmp");
        Path page = Files.createTempFile(directory, ".voicetrace-report-", ".html.tmp");
        try {
            InputSummary summary = new InputSummary();
            ReportData data;
            try (Writer turnsOut = writer(turnsFile)) {
                data = new ReportData(turnsOut);
                TurnAssembler assembler = new TurnAssembler(data);
                EventFilesReader reader = new EventFilesReader(assembler, summary, cancelled);
                for (Path input : inputs) {
                    reader.read(input);
                }
                assembler.finish();
                if (cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("time is up");
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            try (Writer pageOut = writer(page)) {
                new HtmlReportWriter(data, summary, Instant.now()).write(pageOut, turnsFile);
            }
            sameAccessAs(inputs, page);
            move(page, target);
            return new Result(target, summary, data);
        } finally {
            Files.deleteIfExists(turnsFile);
            Files.deleteIfExists(page);
        }
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Scratch files are private; the report is as readable as the events file it shows. */
    private static void sameAccessAs(List<Path> inputs, Path page) {
        for (Path input : inputs) {
            try {
                if (Files.isRegularFile(input)) {
                    Files.setPosixFilePermissions(page, Files.getPosixFilePermissions(input));
                    return;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
