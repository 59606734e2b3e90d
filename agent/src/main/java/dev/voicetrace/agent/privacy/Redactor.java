package dev.voicetrace.agent.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in a text by markers that say what was there ({@code [card]},
 * {@code [email]}, {@code [phone]}, {@code [iban]}, {@code [ssn]}, and {@code [redacted]} for a
 * custom pattern). Detectors run in a fixed order (e-mail first: an address may hold digits; IBAN
 * before card: an account number's digits may pass the card checksum), each only when the text
 * can hold its shape. Thread-safe; the built-in markers hold nothing a detector matches, so
 * redacting twice changes nothing more.
 */
public final class Redactor {

    public static final Redactor NONE = new Redactor(Collections.emptyList(), Collections.emptyList());
    static final String CUSTOM_MARKER = "[redacted]";
    /** Shorter than the shortest e-mail address ({@code a@b.cd}): no detector can match. */
    private static final int MIN_LENGTH = 6;

    private final Detector[] detectors;
    private final Pattern[] patterns;

    private Redactor(List<Detector> detectors, List<Pattern> patterns) {
        this.detectors = detectors.toArray(new Detector[0]);
        this.patterns = patterns.toArray(new Pattern[0]);
    }

    /** {@code names} from {@code email, iban, card, ssn, phone}; they run in that order whatever the given order. */
    public static Redactor of(Collection<String> names, List<Pattern> patterns) {
        List<Detector> chosen = new ArrayList<>();
        if (names.contains("email")) {
            chosen.add(new EmailDetector());
        }
        if (names.contains("iban")) {
            chosen.add(new IbanDetector());
        }
        if (names.contains("card")) {
            chosen.add(new CardNumberDetector());
        }
        if (names.contains("ssn")) {
            chosen.add(new SsnDetector());
        }
        if (names.contains("phone")) {
            chosen.add(new PhoneNumberDetector());
        }
        return new Redactor(chosen, patterns);
    }

    public boolean isActive() {
        return detectors.length > 0 || patterns.length > 0;
    }

    /** The text with personal data replaced; {@code text} itself when nothing was found. */
    public String redact(String text, RedactionCount count) {
        if (text == null) {
            return null;
        }
        String result = text;
        if (detectors.length > 0 && text.length() >= MIN_LENGTH) {
            TextProfile profile = TextProfile.of(text);
            for (Detector detector : detectors) {
                if (detector.mayOccurIn(profile)) {
                    String redacted = detector.redact(result, profile, count);
                    if (redacted != result) {
                        result = redacted;
                        profile = TextProfile.of(result);
                    }
                }
            }
        }
        for (Pattern pattern : patterns) {
            result = replaceCustom(pattern, result, count);
        }
        return result;
    }

    /** For text that is not counted against an observation (the agent's own log lines). */
    public String redact(String text) {
        return redact(text, new RedactionCount());
    }

    private static String replaceCustom(Pattern pattern, String text, RedactionCount count) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int found = 0;
        do {
            if (matcher.end() == matcher.start()) {
                // An empty match removes nothing; a pattern such as "x*" must not fill the text with markers.
                continue;
            }
            out.append(text, copied, matcher.start()).append(CUSTOM_MARKER);
            copied = matcher.end();
            found++;
        } while (matcher.find());
        if (found == 0) {
            return text;
        }
        count.add(found);
        return out.append(text, copied, text.length()).toString();
    }
}
