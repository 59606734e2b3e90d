package dev.voicetrace.agent.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Reads the agent's JSON-lines files (the file exporter's events file, or a spool directory's
 * batch files) line by line, one line in memory at a time. A line that cannot be read is
 * reported with its file and number and skipped; the rest is still read.
 */
final class EventFilesReader {

    /** A line longer than this is skipped rather than held: the agent's own lines stay near 1 MB. */
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    private final TurnAssembler assembler;
    private final InputSummary summary;
    private final BooleanSupplier cancelled;
    private byte[] line = new byte[64 * 1024];

    EventFilesReader(TurnAssembler assembler, InputSummary summary, BooleanSupplier cancelled) {
        this.assembler = assembler;
        this.summary = summary;
        this.cancelled = cancelled;
    }

    /** Reads a file, or every {@code .jsonl} file of a directory (a spool directory) in name order. */
    void read(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path, "*.jsonl")) {
                entries.forEach(files::add);
            } catch (IOException e) {
                summary.problem(path + ": cannot list the directory (" + e.getMessage() + ")");
                return;
            }
            if (files.isEmpty()) {
                summary.problem(path + ": a directory without .jsonl files");
            }
            Collections.sort(files);
            for (Path file : files) {
                readFile(file);
            }
        } else {
            readFile(path);
        }
    }

    private void readFile(Path file) {
        if (!Files.exists(file)) {
            summary.problem(file + ": no such file");
            return;
        }
        summary.files.add(file.toString());
        chunkPosition = 0;
        chunkLength = 0;
        try (InputStream in = Files.newInputStream(file)) {
            long lineNumber = 0;
            boolean any = false;
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("time is up");
                }
                int length = readLine(in);
                if (length == END) {
                    break;
                }
                lineNumber++;
                boolean endsWithNewline = lastLineEnded;
                if (length == TOO_LONG) {
                    summary.lines++;
                    summary.skippedLines++;
                    summary.problem(file + ":" + lineNumber + ": line longer than " + (MAX_LINE_BYTES >> 20)
                            + " MB; skipped");
                    any = true;
                    continue;
                }
                if (isBlank(length)) {
                    continue;
                }
                any = true;
                summary.lines++;
                summary.bytes += length;
                try {
                    List<ReportSpan> spans = OtlpLineParser.parse(line, length);
                    summary.spans += spans.size();
                    for (ReportSpan span : spans) {
                        assembler.add(span);
                    }
                } catch (OtlpLineParser.LineException e) {
                    summary.skippedLines++;
                    if (!endsWithNewline && e.notJson) {
                        summary.problem(file + ":" + lineNumber + ": the last line is cut short (" + e.getMessage()
                                + "), as when the writer was stopped mid-line; skipped");
                    } else {
                        summary.problem(file + ":" + lineNumber + ": " + (e.notJson ? "not JSON: " : "")
                                + e.getMessage() + "; line skipped");
                    }
                }
            }
            if (!any) {
                summary.problem(file + ": empty, no events in it");
            }
        } catch (IOException e) {
            summary.problem(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static final int END = -1;
    private static final int TOO_LONG = -2;
    private boolean lastLineEnded;

    private final byte[] chunk = new byte[256 * 1024];
    private int chunkPosition;
    private int chunkLength;

    /** Reads up to the next newline into {@link #line}; its length, {@link #END} or {@link #TOO_LONG}. */
    private int readLine(InputStream in) throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean anyByte = false;
        while (true) {
            if (chunkPosition == chunkLength) {
                chunkLength = in.read(chunk);
                chunkPosition = 0;
                if (chunkLength <= 0) {
                    chunkLength = 0;
                    lastLineEnded = false;
                    if (!anyByte) {
                        return END;
                    }
                    return tooLong ? TOO_LONG : trimCarriageReturn(length);
                }
            }
            anyByte = true;
            int newline = -1;
            for (int i = chunkPosition; i < chunkLength; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int stop = newline < 0 ? chunkLength : newline;
            int count = stop - chunkPosition;
            if (!tooLong) {
                if (length + count > MAX_LINE_BYTES) {
                    tooLong = true;
                } else {
                    if (length + count > line.length) {
                        line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + count)));
                    }
                    System.arraycopy(chunk, chunkPosition, line, length, count);
                    length += count;
                }
            }
            if (newline >= 0) {
                chunkPosition = newline + 1;
                lastLineEnded = true;
                return tooLong ? TOO_LONG : trimCarriageReturn(length);
            }
            chunkPosition = chunkLength;
        }
    }

    private int trimCarriageReturn(int length) {
        return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    }

    private boolean isBlank(int length) {
        for (int i = 0; i < length; i++) {
            byte c = line[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
