package dev.voicetrace.agent.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What was read and what was skipped, with one message per problem (the first ones kept). */
public final class InputSummary {

    static final int MAX_MESSAGES = 50;

    final List<String> files = new ArrayList<>();
    long bytes;
    long lines;
    long spans;
    long skippedLines;
    private long problems;
    private final List<String> messages = new ArrayList<>();

    void problem(String message) {
        problems++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    public long skippedLines() {
        return skippedLines;
    }

    public long problems() {
        return problems;
    }

    /** The first {@value #MAX_MESSAGES} messages, then one that says how many more there were. */
    public List<String> messages() {
        if (problems <= messages.size()) {
            return Collections.unmodifiableList(messages);
        }
        List<String> shown = new ArrayList<>(messages);
        shown.add("... and " + (problems - messages.size()) + " more problems");
        return shown;
    }

    public long lines() {
        return lines;
    }

    public long spans() {
        return spans;
    }
}
