package dev.voicetrace.agent.privacy;

/** Redactions made in one observation, counted as its strings are redacted one by one. */
public final class RedactionCount {

    private int count;

    void add(int redactions) {
        count += redactions;
    }

    public int get() {
        return count;
    }
}
