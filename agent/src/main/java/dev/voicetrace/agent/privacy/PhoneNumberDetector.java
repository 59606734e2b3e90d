package dev.voicetrace.agent.privacy;

import java.util.regex.Pattern;

/**
 * Phone numbers in the forms people write them, and no bare numbers (years, amounts, order numbers
 * and ids are digits without the separators or prefix a phone number has):
 * <ul>
 *   <li>international: {@code +} then 8 to 15 digits in groups separated by spaces, dots, dashes
 *   or parentheses ({@code +44 20 7946 0958}, {@code +1 (415) 555-0134}, {@code +351912345678});
 *   a longer run is cut at the last group that keeps it within 15 digits;</li>
 *   <li>North American: {@code (415) 555-0134}, {@code 415-555-0134}, {@code 415.555.0134},
 *   {@code 415 555 0134}, optionally after {@code 1-}, the area code not starting with 0 or 1;</li>
 *   <li>national with a trunk 0: {@code 020 7946 0958}, {@code 06 12 34 56 78},
 *   {@code 0171-1234567}: 10 to 12 digits in groups, the same separator throughout, not followed
 *   by a further group.</li>
 * </ul>
 */
final class PhoneNumberDetector extends Detector {

    private static final int MIN_INTERNATIONAL = 8;
    private static final int MAX_INTERNATIONAL = 15;

    PhoneNumberDetector() {
        super("[phone]", Pattern.compile(
                "(?<![0-9A-Za-z+])\\+[0-9]++(?:(?:[ .\\-]|[ ]?\\()?[0-9]++\\)?)*+"
                        + "|(?<![0-9A-Za-z+.\\-])(?:1[ .\\-])?(?:\\([2-9][0-9]{2}\\) ?[0-9]{3}[ .\\-]"
                        + "|[2-9][0-9]{2}([ .\\-])[0-9]{3}\\1)[0-9]{4}(?![0-9]|[.\\-][0-9])"
                        + "|(?<![0-9A-Za-z+.\\-/])0[0-9]{1,4}([ .\\-/])[0-9]{2,8}(?:\\2[0-9]{2,8}){0,4}"
                        + "(?![0-9])(?!\\2[0-9])"));
    }

    /**
     * Number clusters that can hold one of the forms: a {@code +} with 8 digits or more, or 10
     * digits or more with a separator; a bare run of digits is never a phone number here.
     */
    @Override
    int[] regions(String text, TextProfile profile) {
        int[] clusters = clustersWithDigits(profile, MIN_INTERNATIONAL);
        int kept = 0;
        for (int i = 0; i < clusters.length; i += 2) {
            int start = clusters[i];
            int end = clusters[i + 1];
            boolean international = text.indexOf('+', start) >= 0 && text.indexOf('+', start) < end;
            if (international || end - start > digitsIn(text, start, end) && digitsIn(text, start, end) >= 10) {
                clusters[kept++] = start;
                clusters[kept++] = end;
            }
        }
        return java.util.Arrays.copyOf(clusters, kept);
    }

    private static int digitsIn(String text, int start, int end) {
        int digits = 0;
        for (int i = start; i < end; i++) {
            if (isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits;
    }

    @Override
    boolean mayOccurIn(TextProfile profile) {
        return profile.digits >= MIN_INTERNATIONAL;
    }

    @Override
    void confirm(String text, int start, int end, Spans spans) {
        int[] groups = digitGroups(text, start, end);
        if (text.charAt(start) == '+') {
            int digits = 0;
            int stop = -1;
            for (int g = 0; g < groups.length / 2; g++) {
                digits += groups[2 * g + 1] - groups[2 * g];
                if (digits > MAX_INTERNATIONAL) {
                    break;
                }
                if (digits >= MIN_INTERNATIONAL) {
                    stop = groups[2 * g + 1];
                }
            }
            if (stop > 0) {
                // A closing parenthesis right after the last digit belongs to the number only when
                // the number opened one ("+1 (415"); otherwise it closes the text around it.
                boolean opened = text.lastIndexOf('(', stop - 1) >= start;
                spans.add(start, opened && stop < end && text.charAt(stop) == ')' ? stop + 1 : stop);
            }
            return;
        }
        int digits = 0;
        for (int g = 0; g < groups.length / 2; g++) {
            digits += groups[2 * g + 1] - groups[2 * g];
        }
        boolean trunk = text.charAt(start) == '0';
        if (!trunk || digits >= 10 && digits <= 12) {
            spans.add(start, end);
        }
    }
}
