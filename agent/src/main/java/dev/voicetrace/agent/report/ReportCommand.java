package dev.voicetrace.agent.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar voicetrace-agent.jar report [FILE...] [-o voicetrace-report.html]}: the
 * report of the agent's JSON-lines files or spool directories (default
 * {@code voicetrace-events.jsonl}). Exit codes: 0 written and every line read; 3 written, but
 * some input was missing, empty or skipped; 1 not written; 2 wrong arguments.
 */
public final class ReportCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int WRITTEN_WITH_PROBLEMS = 3;

    static final String DEFAULT_INPUT = "voicetrace-events.jsonl";
    static final String DEFAULT_OUTPUT = "voicetrace-report.html";

    private ReportCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<Path> inputs = new ArrayList<>();
        Path output = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-o") || arg.equals("--output")) {
                if (i + 1 >= args.size()) {
                    err.println("report: " + arg + " needs a file name");
                    return USAGE;
                }
                output = Paths.get(args.get(++i));
            } else if (arg.startsWith("--output=")) {
                output = Paths.get(arg.substring("--output=".length()));
            } else if (arg.equals("-h") || arg.equals("--help")) {
                out.println(usage());
                return OK;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                err.println("report: unknown option " + arg);
                err.println(usage());
                return USAGE;
            } else {
                inputs.add(Paths.get(arg));
            }
        }
        if (inputs.isEmpty()) {
            inputs.add(Paths.get(DEFAULT_INPUT));
        }
        if (output == null) {
            output = Paths.get(DEFAULT_OUTPUT);
        }
        ReportGenerator.Result result;
        try {
            result = ReportGenerator.generate(inputs, output, () -> false);
        } catch (IOException | RuntimeException e) {
            err.println("report: cannot write " + output + ": " + e);
            return FAILED;
        }
        InputSummary input = result.input;
        for (String message : input.messages()) {
            err.println("report: " + message);
        }
        if (input.files.isEmpty()) {
            result.output.toFile().delete();
            err.println("report: no input file could be read; no report written");
            return FAILED;
        }
        if (input.skippedLines() > 0) {
            err.println("report: skipped " + input.skippedLines() + " of " + input.lines() + " lines; the rest is reported");
        }
        out.println("read " + input.files.size() + (input.files.size() == 1 ? " file, " : " files, ") + input.lines()
                + " lines, " + input.spans() + " spans: " + result.sessions + " sessions, " + result.turns + " turns, "
                + result.observations + " observations");
        out.println("report written to " + result.output);
        return input.problems() > 0 ? WRITTEN_WITH_PROBLEMS : OK;
    }

    static String usage() {
        return "usage: java -jar voicetrace-agent.jar report [FILE|SPOOL-DIR...] [-o voicetrace-report.html]\n"
                + "  reads the agent's JSON-lines files (default " + DEFAULT_INPUT + ") and writes one\n"
                + "  self-contained HTML page of sessions, turns, waterfalls, latency percentiles and cost";
    }
}
