package dev.voicetrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportAtExitTest {

    @Test
    void aLargeEventsFileIsNotReportedAtExitUnlessAskedFor(@TempDir Path directory) throws IOException {
        Path events = directory.resolve("voicetrace-events.jsonl");
        byte[] line = new byte[4096];
        Arrays.fill(line, (byte) ' ');
        line[line.length - 1] = '\n';
        try (java.io.OutputStream out = Files.newOutputStream(events)) {
            for (long written = 0; written <= ReportAtExit.DEFAULT_MAX_EVENTS_BYTES; written += line.length) {
                out.write(line);
            }
        }

        assertNull(ReportAtExit.write(events.toString(), null));
        assertFalse(Files.exists(directory.resolve(ReportCommand.DEFAULT_OUTPUT)), "no report was written");
    }
}
