package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/**
 * Payment card numbers as transcripts and messages write them: 13 to 19 digits, whole or in groups
 * separated by single spaces or dashes ("4111 1111 1111 1111", "4 1 1 1 ..."), first digit not 0,
 * Luhn checksum valid, so that order numbers and other long numbers are left alone (nine in ten
 * fail the checksum). Within a longer run of digit groups every valid stretch is replaced.
 */
final class CardNumberDetector extends Detector {

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;

    CardNumberDetector() {
        super("[card]", Pattern.compile("[0-9]++(?:[ \\-][0-9]++)*+"));
    }

    @Override
    int[] regions(String text, TextProfile profile) {
        return clustersWithDigits(profile, MIN_DIGITS);
    }

    @Override
    boolean mayOccurIn(TextProfile profile) {
        return profile.digits >= MIN_DIGITS;
    }

    @Override
    void confirm(String text, int start, int end, Spans spans) {
        if (end - start < MIN_DIGITS) {
            return;
        }
        int[] groups = digitGroups(text, start, end);
        int count = groups.length / 2;
        for (int first = 0; first < count; first++) {
            if (text.charAt(groups[2 * first]) == '0') {
                continue;
            }
            int digits = 0;
            for (int last = first; last < count; last++) {
                digits += groups[2 * last + 1] - groups[2 * last];
                if (digits > MAX_DIGITS) {
                    break;
                }
                if (digits >= MIN_DIGITS && luhnValid(text, groups, first, last)) {
                    spans.add(groups[2 * first], groups[2 * last + 1]);
                }
            }
        }
    }

    /** The Luhn check over the digits of groups {@code first..last}, read from the right. */
    private static boolean luhnValid(String text, int[] groups, int first, int last) {
        int sum = 0;
        boolean doubled = false;
        for (int g = last; g >= first; g--) {
            for (int i = groups[2 * g + 1] - 1; i >= groups[2 * g]; i--) {
                int digit = text.charAt(i) - '0';
                if (doubled) {
                    digit *= 2;
                    if (digit > 9) {
                        digit -= 9;
                    }
                }
                sum += digit;
                doubled = !doubled;
            }
        }
        return sum % 10 == 0;
    }

    /** The Luhn check of a plain digit string (for tests and generators). */
    static boolean luhnValid(String digits) {
        return luhnValid(digits, new int[] {0, digits.length()}, 0, 0);
    }
}
