package dev.voicetrace.agent.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a regular expression finds candidates, a check decides which parts of
 * a candidate are the real thing (a checksum, a valid range), and each is replaced by a marker
 * that says what was there. The expression only runs when the text's profile allows a match.
 */
abstract class Detector {

    private final String replacement;
    private final Pattern candidates;

    Detector(String replacement, Pattern candidates) {
        this.replacement = replacement;
        this.candidates = candidates;
    }

    /** Whether a text with this profile can hold a match at all. */
    abstract boolean mayOccurIn(TextProfile profile);

    /**
     * Adds to {@code spans} the ranges of {@code text} between {@code start} and {@code end} (one
     * candidate) to replace, as start and end pairs, in order and not overlapping.
     */
    abstract void confirm(String text, int start, int end, Spans spans);

    final String replacement() {
        return replacement;
    }

    /**
     * The regions of the text worth searching, as start and end pairs, or null for the whole text.
     * Number detectors search the profile's number clusters with enough digits.
     */
    int[] regions(String text, TextProfile profile) {
        return null;
    }

    /** Number clusters with at least {@code minDigits} digits, as regions. */
    static int[] clustersWithDigits(TextProfile profile, int minDigits) {
        int[] clusters = profile.numberClusters();
        int[] regions = new int[2 * (clusters.length / 3)];
        int count = 0;
        for (int i = 0; i < clusters.length; i += 3) {
            if (clusters[i + 2] >= minDigits) {
                regions[2 * count] = clusters[i];
                regions[2 * count + 1] = clusters[i + 1];
                count++;
            }
        }
        return java.util.Arrays.copyOf(regions, 2 * count);
    }

    /** The text with every confirmed match replaced; the same instance when there is none. */
    final String redact(String text, TextProfile profile, RedactionCount count) {
        int[] regions = regions(text, profile);
        if (regions != null && regions.length == 0) {
            return text;
        }
        Matcher matcher = candidates.matcher(text);
        // Look-behinds and look-aheads see past a region's ends: a region only narrows where matches are sought.
        matcher.useTransparentBounds(true).useAnchoringBounds(false);
        Spans spans = null;
        int regionCount = regions == null ? 1 : regions.length / 2;
        for (int r = 0; r < regionCount; r++) {
            if (regions != null) {
                matcher.region(regions[2 * r], regions[2 * r + 1]);
            }
            while (matcher.find()) {
                if (spans == null) {
                    spans = new Spans();
                }
                confirm(text, matcher.start(), matcher.end(), spans);
            }
        }
        if (spans == null || spans.size() == 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int i = 0; i < spans.size(); i++) {
            out.append(text, copied, spans.start(i)).append(replacement);
            copied = spans.end(i);
        }
        count.add(spans.size());
        return out.append(text, copied, text.length()).toString();
    }

    /** Start and end pairs, growing as needed. */
    static final class Spans {
        private int[] bounds = new int[8];
        private int size;

        void add(int start, int end) {
            if (size > 0 && start < bounds[2 * size - 1]) {
                // Overlaps the previous one: merge, so that nothing between them is left out.
                bounds[2 * size - 1] = Math.max(end, bounds[2 * size - 1]);
                return;
            }
            if (2 * size + 2 > bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * size] = start;
            bounds[2 * size + 1] = end;
            size++;
        }

        int size() {
            return size;
        }

        int start(int i) {
            return bounds[2 * i];
        }

        int end(int i) {
            return bounds[2 * i + 1];
        }
    }

    /** Positions of the digit groups in {@code text[start, end)}: start, end pairs. */
    static int[] digitGroups(String text, int start, int end) {
        int[] groups = new int[16];
        int count = 0;
        int i = start;
        while (i < end) {
            while (i < end && !isDigit(text.charAt(i))) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int groupStart = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (2 * count + 2 > groups.length) {
                groups = java.util.Arrays.copyOf(groups, groups.length * 2);
            }
            groups[2 * count] = groupStart;
            groups[2 * count + 1] = i;
            count++;
        }
        return java.util.Arrays.copyOf(groups, 2 * count);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
