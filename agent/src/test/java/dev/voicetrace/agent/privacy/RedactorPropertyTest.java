package dev.voicetrace.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.voicetrace.agent.config.PrivacyOptions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random texts: words and the numbers conversations are full of (years, amounts, order numbers,
 * dates, times, long numbers failing the card checksum) are never touched; card numbers, IBANs,
 * social security numbers, phone numbers and e-mail addresses put among them are always replaced,
 * each once; and redacting a redacted text changes nothing.
 */
class RedactorPropertyTest {

    private static final Redactor ALL = Redactor.of(PrivacyOptions.DETECTORS, Collections.emptyList());
    private static final String[] WORDS = {"the", "caller", "asked", "about", "her", "order", "and", "refund",
            "please", "thanks", "number", "is", "total", "was", "on", "at", "lunch", "river", "ok", "yes"};
    private static final int TEXTS = 3000;

    @Test
    void ordinaryTextIsNeverRedacted() {
        Random random = new Random(14);
        for (int i = 0; i < TEXTS; i++) {
            String text = String.join(" ", benignTokens(random, 5 + random.nextInt(30)));
            RedactionCount count = new RedactionCount();
            assertEquals(text, ALL.redact(text, count), "changed: " + text);
            assertEquals(0, count.get());
        }
    }

    @Test
    void personalDataAmongOrdinaryTextIsAlwaysReplacedOnceAndRedactionIsIdempotent() {
        Random random = new Random(41);
        for (int i = 0; i < TEXTS; i++) {
            List<String> tokens = benignTokens(random, 5 + random.nextInt(30));
            List<String> secrets = new ArrayList<>();
            int inserted = 1 + random.nextInt(4);
            for (int k = 0; k < inserted; k++) {
                String secret = personalData(random);
                secrets.add(secret);
                // Always between words, so that no number next to it joins it.
                int at = random.nextInt(tokens.size() + 1);
                tokens.add(at, "is " + secret + " ok");
            }
            String text = String.join(" ", tokens);
            RedactionCount count = new RedactionCount();
            String redacted = ALL.redact(text, count);
            for (String secret : secrets) {
                assertFalse(redacted.contains(secret), secret + " left in: " + redacted);
            }
            assertEquals(inserted, count.get(), text + " -> " + redacted);
            RedactionCount again = new RedactionCount();
            assertEquals(redacted, ALL.redact(redacted, again), "not idempotent: " + text);
            assertEquals(0, again.get());
        }
    }

    private static List<String> benignTokens(Random random, int size) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            tokens.add(WORDS[random.nextInt(WORDS.length)]);
            if (random.nextInt(3) == 0) {
                tokens.add(benignNumber(random));
                tokens.add(WORDS[random.nextInt(WORDS.length)]);
            }
        }
        return tokens;
    }

    private static String benignNumber(Random random) {
        switch (random.nextInt(11)) {
            case 0:
                return Integer.toString(1900 + random.nextInt(150));
            case 1:
                return String.format("$%d.%02d", random.nextInt(5000), random.nextInt(100));
            case 2:
                return String.format("%,d.%02d", random.nextInt(10_000_000), random.nextInt(100));
            case 3:
                return "ORD-" + (1900 + random.nextInt(150)) + "-" + digits(random, 6);
            case 4:
                return digits(random, 1 + random.nextInt(12));
            case 5:
                return String.format("%04d-%02d-%02d", 1990 + random.nextInt(50), 1 + random.nextInt(12),
                        1 + random.nextInt(28));
            case 6:
                return String.format("%02d.%02d.%04d", 1 + random.nextInt(28), 1 + random.nextInt(12),
                        1990 + random.nextInt(50));
            case 7:
                return String.format("%d:%02d", random.nextInt(24), random.nextInt(60));
            case 8:
                return luhnInvalid(random, 13 + random.nextInt(7));
            case 9:
                return "+" + random.nextInt(100);
            default:
                return random.nextInt(100) + "%";
        }
    }

    private static String personalData(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                String card = card(random);
                return random.nextBoolean() ? card : card.replaceAll("(\\d{4})(?=\\d)", "$1" + (random.nextBoolean()
                        ? " " : "-"));
            case 1:
                String iban = iban(random);
                return random.nextBoolean() ? iban : iban.replaceAll("(.{4})(?=.)", "$1 ");
            case 2:
                return (100 + random.nextInt(565)) + "-" + (10 + random.nextInt(90)) + "-" + (1000 + random.nextInt(9000));
            case 3:
                switch (random.nextInt(4)) {
                    case 0:
                        return "+44 20 " + digits(random, 4) + " " + digits(random, 4);
                    case 1:
                        return "(" + (200 + random.nextInt(800)) + ") " + digits(random, 3) + "-" + digits(random, 4);
                    case 2:
                        return (200 + random.nextInt(800)) + "-" + digits(random, 3) + "-" + digits(random, 4);
                    default:
                        return "0" + (1 + random.nextInt(9)) + " " + digits(random, 2) + " " + digits(random, 2) + " "
                                + digits(random, 2) + " " + digits(random, 2);
                }
            default:
                return "user" + random.nextInt(1000) + "." + WORDS[random.nextInt(WORDS.length)] + "@example"
                        + random.nextInt(10) + ".com";
        }
    }

    private static String digits(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    /** A 16-digit number starting with 4 whose last digit makes the Luhn sum right. */
    private static String card(Random random) {
        String body = "4" + digits(random, 14);
        for (char check = '0'; check <= '9'; check++) {
            if (CardNumberDetector.luhnValid(body + check)) {
                return body + check;
            }
        }
        throw new AssertionError();
    }

    private static String luhnInvalid(Random random, int length) {
        String number = (1 + random.nextInt(9)) + digits(random, length - 1);
        if (CardNumberDetector.luhnValid(number)) {
            char last = number.charAt(length - 1);
            number = number.substring(0, length - 1) + (char) (last == '9' ? '0' : last + 1);
        }
        return number;
    }

    /** A British IBAN with its check digits computed. */
    private static String iban(Random random) {
        String bban = "WEST" + digits(random, 14);
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + "GB00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        String iban = String.format("GB%02d%s", check, bban);
        if (!IbanDetector.checksumValid(iban)) {
            throw new AssertionError(iban);
        }
        return iban;
    }
}
