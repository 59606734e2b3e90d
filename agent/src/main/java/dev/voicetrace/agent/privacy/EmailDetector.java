package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/** E-mail addresses: a local part, {@code @}, and a domain of dotted labels ending in a letters-only top level. */
final class EmailDetector extends Detector {

    EmailDetector() {
        super("[email]", Pattern.compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]++@[A-Za-z0-9\\-]++"
                + "(?:\\.[A-Za-z0-9\\-]++)++"));
    }

    /** Around each {@code @}: the run of address characters on either side. */
    @Override
    int[] regions(String text, TextProfile profile) {
        int[] regions = new int[4];
        int count = 0;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            while (start > 0 && isAddressChar(text.charAt(start - 1))) {
                start--;
            }
            int end = at + 1;
            while (end < text.length() && isAddressChar(text.charAt(end))) {
                end++;
            }
            if (count > 0 && start < regions[2 * count - 1]) {
                regions[2 * count - 1] = end;
                continue;
            }
            if (2 * count + 2 > regions.length) {
                regions = java.util.Arrays.copyOf(regions, regions.length * 2);
            }
            regions[2 * count] = start;
            regions[2 * count + 1] = end;
            count++;
        }
        return java.util.Arrays.copyOf(regions, 2 * count);
    }

    private static boolean isAddressChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '%' || c == '+' || c == '-';
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
