package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/**
 * US social security numbers written {@code ###-##-####}, without the numbers the SSA never
 * issues: area 000, 666 or 900-999, group 00, serial 0000.
 */
final class SsnDetector extends Detector {

    SsnDetector() {
        super("[ssn]", Pattern.compile("(?<![0-9\\-])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![0-9]|-[0-9])"));
    }

    @Override
    int[] regions(String text, TextProfile profile) {
        return clustersWithDigits(profile, 9);
    }

    @Override
    boolean mayOccurIn(TextProfile profile) {
        return profile.digits >= 9 && profile.dash;
    }

    @Override
    void confirm(String text, int start, int end, Spans spans) {
        int area = Integer.parseInt(text.substring(start, start + 3));
        boolean group = !text.startsWith("00", start + 4);
        boolean serial = !text.startsWith("0000", start + 7);
        if (area != 0 && area != 666 && area < 900 && group && serial) {
            spans.add(start, end);
        }
    }
}
