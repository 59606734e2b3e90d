package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/**
 * International bank account numbers: two capital letters, two check digits and up to 30 letters
 * or digits, written whole or in groups separated by single spaces, 15 to 34 characters, with a
 * valid ISO 13616 mod-97 checksum (a random string passes one time in 97). The longest stretch of
 * groups that passes is replaced, so a word after the number is not taken with it.
 */
final class IbanDetector extends Detector {

    private static final int MIN_LENGTH = 15;
    private static final int MAX_LENGTH = 34;
    /** 34 characters with a space after every four, and room for one more group to be cut off. */
    private static final int MAX_WRITTEN_LENGTH = 48;

    IbanDetector() {
        super("[iban]", Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}[A-Z0-9]*+(?: [A-Z0-9]++)*+"));
    }

    /** From each two capitals and two digits, as far as the longest IBAN written in groups reaches. */
    @Override
    int[] regions(String text, TextProfile profile) {
        int[] regions = new int[4];
        int count = 0;
        for (int i = 0; i + 4 <= text.length(); i++) {
            if (isCapital(text.charAt(i)) && isCapital(text.charAt(i + 1)) && isDigit(text.charAt(i + 2))
                    && isDigit(text.charAt(i + 3))) {
                int end = Math.min(text.length(), i + MAX_WRITTEN_LENGTH);
                if (count > 0 && i < regions[2 * count - 1]) {
                    regions[2 * count - 1] = end;
                    continue;
                }
                if (2 * count + 2 > regions.length) {
                    regions = java.util.Arrays.copyOf(regions, regions.length * 2);
                }
                regions[2 * count] = i;
                regions[2 * count + 1] = end;
                count++;
            }
        }
        return java.util.Arrays.copyOf(regions, 2 * count);
    }

    private static boolean isCapital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    @Override
    boolean mayOccurIn(TextProfile profile) {
        return profile.ibanStart;
    }

    @Override
    void confirm(String text, int start, int end, Spans spans) {
        // Try the candidate's group boundaries from the longest stretch down.
        for (int stop = end; stop > start; stop = text.lastIndexOf(' ', stop - 1)) {
            int length = alphanumerics(text, start, stop);
            if (length >= MIN_LENGTH && length <= MAX_LENGTH && checksumValid(text, start, stop)) {
                spans.add(start, stop);
                return;
            }
            if (stop <= start + 4) {
                return;
            }
        }
    }

    private static int alphanumerics(String text, int start, int end) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) != ' ') {
                count++;
            }
        }
        return count;
    }

    /** ISO 13616: the country code and check digits moved to the end, letters as 10..35, mod 97 is 1. */
    private static boolean checksumValid(String text, int start, int end) {
        int remainder = 0;
        for (int pass = 0; pass < 2; pass++) {
            int from = pass == 0 ? start + 4 : start;
            int to = pass == 0 ? end : start + 4;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == ' ') {
                    continue;
                }
                if (isDigit(c)) {
                    remainder = (remainder * 10 + (c - '0')) % 97;
                } else {
                    remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
                }
            }
        }
        return remainder == 1;
    }

    /** Whether a compact IBAN's checksum is valid (for tests and generators). */
    static boolean checksumValid(String compact) {
        return checksumValid(compact, 0, compact.length());
    }
}
