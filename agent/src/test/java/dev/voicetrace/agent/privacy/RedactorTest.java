package dev.voicetrace.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.PrivacyOptions;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private static final Redactor ALL = Redactor.of(PrivacyOptions.DETECTORS, Collections.emptyList());

    private static String redact(String text) {
        return ALL.redact(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004",
            "3782 822463 10005", "6011111111111117", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "4000 0566 5566 5556"})
    void cardNumbersWithAValidChecksumAreReplaced(String card) {
        assertEquals("my card is [card], expiry 12/27", redact("my card is " + card + ", expiry 12/27"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1112", "4111111111111121", "0000 0000 0000 0000", "1234 5678 9012",
            "41111111111111111111", "order 20240115123456"})
    void cardShapedNumbersThatFailTheChecksumStay(String text) {
        assertEquals(text, redact(text));
    }

    @Test
    void aCardNumberFollowedByMoreDigitGroupsIsStillFound() {
        String text = "card 4111 1111 1111 1111 12 25 cvc 123";
        String redacted = redact(text);
        assertFalse(redacted.contains("4111"), redacted);
        assertTrue(redacted.endsWith("cvc 123"), redacted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00",
            "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300"})
    void ibansWithAValidChecksumAreReplaced(String iban) {
        assertEquals("pay to [iban] THANKS", redact("pay to " + iban + " THANKS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GB82 WEST 1234 5698 7654 33", "DE88 3704 0044 0532 0130 00", "AB12 SHORT", "ISO 9001 2015"})
    void ibanShapedTextThatFailsTheChecksumStays(String text) {
        assertEquals(text, redact(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"123-45-6789", "078-05-1120", "899-99-9999"})
    void socialSecurityNumbersAreReplaced(String ssn) {
        assertEquals("ssn [ssn].", redact("ssn " + ssn + "."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
            "123-45-67890", "2024-01-15", "12-345-6789"})
    void invalidOrOtherDashedNumbersAreNotSocialSecurityNumbers(String text) {
        Redactor ssnOnly = Redactor.of(List.of("ssn"), Collections.emptyList());
        assertEquals(text, ssnOnly.redact(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+44 20 7946 0958", "+1 (415) 555-0134", "+351912345678", "+33 6 12 34 56 78",
            "+44 (0)20 7946 0958", "(415) 555-0134", "415-555-0134", "415.555.0134", "415 555 0134",
            "1-800-555-0199", "020 7946 0958", "06 12 34 56 78", "0171-1234567", "07700 900123"})
    void phoneNumbersAreReplaced(String phone) {
        assertEquals("call [phone] today", redact("call " + phone + " today"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"in 2024 we sold 1500 units", "total $1,250.00 or 1.250,00 EUR", "order 12345678",
            "order number 4155550134", "ORD-2024-001234", "on 2024-01-15 at 10:30", "on 01.02.2024 10:30",
            "version 1.2.3", "pi is 3.14159", "room 101, floor 3", "+5 degrees", "1 000 000 people",
            "reference 0123456789", "zip 90210-1234", "ticket 01-02-2024", "12 345 678"})
    void ordinaryNumbersAreNotPhoneNumbers(String text) {
        assertEquals(text, redact(text));
    }

    @Test
    void anInternationalNumberIsCutBeforeATrailingYear() {
        assertEquals("call [phone] 2024", redact("call +44 20 7946 0958 2024"));
    }

    @Test
    void aParenthesisAroundAPhoneNumberStaysOutsideIt() {
        assertEquals("reach me at ([phone]) or [phone].", redact("reach me at (+44 20 7946 0958) or +1 (415) 555-0134."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"john.smith@example.com", "a+b@mail.co.uk", "ANNA_92@Example-Mail.ORG"})
    void emailAddressesAreReplaced(String email) {
        assertEquals("write to [email].", redact("write to " + email + "."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"@handle", "user@localhost", "price@3.50", "a @ b"})
    void textWithAnAtSignThatIsNoAddressStays(String text) {
        assertEquals(text, redact(text));
    }

    @Test
    void customPatternsBecomeRedacted() {
        Redactor custom = Redactor.of(Collections.emptyList(), List.of(Pattern.compile("ACC-\\d{6}"),
                Pattern.compile("x*")));
        RedactionCount count = new RedactionCount();
        assertEquals("accounts [redacted] and [redacted]", custom.redact("accounts ACC-123456 and ACC-654321", count));
        assertEquals(2, count.get());
    }

    @Test
    void textWithoutPersonalDataIsReturnedAsItIs() {
        String text = "Try the riverside cafes in Cais do Sodre, they serve grilled sardines.";
        assertSame(text, redact(text));
        assertEquals(null, ALL.redact(null));
    }

    @Test
    void everyKindInOneTextIsCounted() {
        RedactionCount count = new RedactionCount();
        String redacted = ALL.redact("card 4111 1111 1111 1111, mail ana@example.com, phone +44 20 7946 0958,"
                + " iban GB82 WEST 1234 5698 7654 32, ssn 123-45-6789", count);
        assertEquals("card [card], mail [email], phone [phone], iban [iban], ssn [ssn]", redacted);
        assertEquals(5, count.get());
    }

    @Test
    void onlyTheChosenDetectorsRun() {
        Redactor cardOnly = Redactor.of(List.of("card"), Collections.emptyList());
        assertEquals("[card] ana@example.com", cardOnly.redact("4111111111111111 ana@example.com"));
        assertFalse(Redactor.NONE.isActive());
        assertTrue(cardOnly.isActive());
    }
}
