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

    static TextProfile of(String text) {
        TextProfile profile = new TextProfile();
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
}
