package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/** E-mail addresses: a local part, {@code @}, and a domain of dotted labels ending in a letters-only top level. */
final class EmailDetector extends Detector {

    EmailDetector() {
        super("[email]", Pattern.compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]++@[A-Za-z0-9\\-]++"
                + "(?:\\.[A-Za-z0-9\\-]++)++"));
    }

    @Override
    boolean mayOccurIn(TextProfile profile) {
        return profile.at;
    }

    @Override
    void confirm(String text, int start, int end, Spans spans) {
        int dot = text.lastIndexOf('.', end - 1);
        if (end - dot - 1 < 2) {
            return;
        }
        for (int i = dot + 1; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return;
            }
        }
        spans.add(start, end);
    }
}
