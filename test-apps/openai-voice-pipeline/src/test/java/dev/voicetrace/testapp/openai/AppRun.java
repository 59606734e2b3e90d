package dev.voicetrace.testapp.openai;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo run in-process: its exit code and the non-empty lines it printed, the conversation
 * apart from the model usage lines (which depend on the stand-in's token estimates).
 */
final class AppRun {

    final int exitCode;
    final List<String> lines;
    final List<String> usageLines;

    private AppRun(int exitCode, List<String> lines, List<String> usageLines) {
        this.exitCode = exitCode;
        this.lines = lines;
        this.usageLines = usageLines;
    }

    static AppRun of(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = VoicePipelineApp.run(args, out);
        }
        List<String> lines = new ArrayList<>();
        List<String> usageLines = new ArrayList<>();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\\R")) {
            if (line.contains(" model usage: ")) {
                usageLines.add(line);
            } else if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return new AppRun(rc, lines, usageLines);
    }
}
