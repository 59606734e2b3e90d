package dev.voicetrace.agent;

import dev.voicetrace.agent.report.ReportCommand;
import java.util.Arrays;

/** The agent jar run as a program ({@code java -jar voicetrace-agent.jar COMMAND ...}). */
public final class CommandLine {

    private CommandLine() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("report")) {
            return ReportCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err);
        }
        String version = CommandLine.class.getPackage().getImplementationVersion();
        System.err.println("Voicetrace " + (version == null ? "dev" : version) + ": a -javaagent for Java voice and LLM pipelines.\n"
                + "  attach it:  java -javaagent:voicetrace-agent.jar -jar app.jar\n"
                + "  report:     java -jar voicetrace-agent.jar report [FILE...] [-o voicetrace-report.html]");
        return args.length == 0 || args[0].equals("-h") || args[0].equals("--help") ? 0 : ReportCommand.USAGE;
    }
}
