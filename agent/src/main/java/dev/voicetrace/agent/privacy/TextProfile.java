package dev.voicetrace.agent.privacy;

/**
 * What one pass over a text tells about it, so that detectors whose shape cannot occur in it are
 * skipped without running a regular expression: most texts have too few digits for any number
 * detector and no {@code @} for the e-mail one.
 */
final class TextProfile {

    int digits;
    boolean at;
    boolean dash;
    boolean plus;
    /** Two capital letters followed by two digits: how every IBAN starts. */
    boolean ibanStart;

    private final String text;
    private int[] clusters;

    private TextProfile(String text) {
        this.text = text;
    }

    static TextProfile of(String text) {
        TextProfile profile = new TextProfile(text);
        int capitals = 0;
        int digitsAfterCapitals = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                profile.digits++;
                if (capitals >= 2 && ++digitsAfterCapitals == 2) {
                    profile.ibanStart = true;
                }
                if (digitsAfterCapitals == 0) {
                    capitals = 0;
                }
                continue;
            }
            digitsAfterCapitals = 0;
            if (c >= 'A' && c <= 'Z') {
                capitals++;
                continue;
            }
            capitals = 0;
            if (c == '@') {
                profile.at = true;
            } else if (c == '-') {
                profile.dash = true;
            } else if (c == '+') {
                profile.plus = true;
            }
        }
        return profile;
    }

    /**
     * The stretches of the text where numbers are written: digits joined by at most two of
     * {@code space . - / ( ) +} at a time, starting at a digit or at a {@code +} or {@code (} just
     * before one. As {start, end, digits} triples. Number detectors run their expressions inside
     * these stretches only, so a long text costs one pass, not one expression per position.
     */
    int[] numberClusters() {
        if (clusters == null) {
            clusters = findClusters(text);
        }
        return clusters;
    }

    private static int[] findClusters(String text) {
        int[] found = new int[12];
        int count = 0;
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            boolean opener = (c == '+' || c == '(') && i + 1 < length && isDigit(text.charAt(i + 1));
            if (!isDigit(c) && !opener) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i;
            while (i < length) {
                char d = text.charAt(i);
                if (isDigit(d)) {
                    digits++;
                    i++;
                    end = i;
                } else if (isJoiner(d)) {
                    int next = i;
                    while (next < length && next - i < 2 && isJoiner(text.charAt(next))) {
                        next++;
                    }
                    if (next < length && isDigit(text.charAt(next))) {
                        i = next;
                    } else {
                        if (i < length && text.charAt(i) == ')') {
                            end = i + 1;
                        }
                        break;
                    }
                } else {
                    break;
                }
            }
            if (3 * count + 3 > found.length) {
                found = java.util.Arrays.copyOf(found, found.length * 2);
            }
            found[3 * count] = start;
            found[3 * count + 1] = end;
            found[3 * count + 2] = digits;
            count++;
            i = Math.max(i, start + 1);
        }
        return java.util.Arrays.copyOf(found, 3 * count);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isJoiner(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' || c == '+';
    }
}
