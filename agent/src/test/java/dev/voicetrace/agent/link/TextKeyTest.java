package dev.voicetrace.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextKeyTest {

    /** Characters that exercise every rule of a key: words, numbers, joiners, sentence ends, white space. */
    private static final String ALPHABET = "abcXYZ019 .,!?'-\"\n\t:;()";

    @Test
    void aReplyWalkedOnceGivesTheKeysOfItsWholeTextAndOfEachSentence() {
        Random random = new Random(20261206L);
        for (int n = 0; n < 20_000; n++) {
            assertSameAsSeparately(randomText(random, 60, () -> ALPHABET.charAt(random.nextInt(ALPHABET.length()))));
        }
    }

    @Test
    void sentencesOfAReplyAreTheStretchesBetweenItsSentenceEnds() {
        TextKey.Reply reply = TextKey.ofReply("We open at 7.30 today. See you soon!\n\n3.5 stars... or not?  Bye");
        assertEquals("we open at 7.30 today see you soon 3.5 stars or not bye", reply.key);
        assertEquals(List.of("we open at 7.30 today", "see you soon", "3.5 stars", "or not", "bye"), reply.sentences);
        assertSameAsSeparately("We open at 7.30 today. See you soon!\n\n3.5 stars... or not?  Bye");
    }

    @Test
    void aReplyWithoutWordsHasNoKeyAndNoSentences() {
        TextKey.Reply reply = TextKey.ofReply(" ... ?! ");
        assertNull(reply.key);
        assertEquals(List.of(), reply.sentences);
        assertNull(TextKey.ofReply(null).key);
    }

    @Test
    void aReplyBeyondAsciiIsNormalisedAsAWholeAndPerSentence() {
        assertSameAsSeparately("Caf\u00e9 au lait. \u00c7a va? Cafe\u0301\u2026 Fin\uff0e Ende");
        assertEquals(TextKey.of("Caf\u00e9 au lait"), TextKey.ofReply("Cafe\u0301 au lait.").sentences.get(0));
    }

    @Test
    void everyCharacterIsClassifiedAsTheJdkClassifiesIt() {
        for (int i = 0; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            int type = Character.getType(c);
            boolean punctuation = type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                    || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                    || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                    || type == Character.OTHER_PUNCTUATION;
            int expected = (Character.isWhitespace(c) ? TextKey.WHITESPACE : 0)
                    | (punctuation ? TextKey.PUNCTUATION : 0)
                    | (Character.isLetterOrDigit(c) ? TextKey.LETTER_OR_DIGIT : 0)
                    | (Character.isDigit(c) ? TextKey.DIGIT : 0);
            assertEquals(expected, TextKey.classOf(c), "U+" + Integer.toHexString(i));
        }
    }

    @Test
    void joinersBetweenLettersOrDigitsStayAndOtherPunctuationSeparates() {
        assertEquals("don't e-mail 3.5 1,000 well yes 1 a", TextKey.of("Don't E-mail 3.5 1,000 well,yes 1,a"));
        assertEquals("it\u2019s caf\u00e9 \u0661,\u0662", TextKey.of("It\u2019s CAF\u00c9! \u0661,\u0662"));
        assertEquals("end", TextKey.of("-end-"));
    }

    @Test
    void caseDoesNotMatterAsTheJdkLowerCasesIt() {
        Random random = new Random(20261207L);
        for (int n = 0; n < 20_000; n++) {
            // Every ASCII character, and now and then one beyond it.
            String text = randomText(random, 40,
                    () -> random.nextInt(10) == 0 ? (char) (0xA0 + random.nextInt(0x200)) : (char) random.nextInt(0x80));
            String lowered = text.toLowerCase(java.util.Locale.ROOT);
            assertEquals(TextKey.of(lowered), TextKey.of(text), text);
            assertEquals(TextKey.ofReply(lowered).sentences, TextKey.ofReply(text).sentences, text);
        }
        assertEquals("yes please", TextKey.of("YES, Please."));
    }

    /** Up to {@code maxLength} characters, each drawn by {@code character}. */
    private static String randomText(Random random, int maxLength, java.util.function.Supplier<Character> character) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength); i > 0; i--) {
            text.append((char) character.get());
        }
        return text.toString();
    }

    private static void assertSameAsSeparately(String text) {
        TextKey.Reply reply = TextKey.ofReply(text);
        String shown = text.replace("\n", "\\n").replace("\t", "\\t");
        assertEquals(TextKey.of(text), reply.key, () -> "key of \"" + shown + "\"");
        assertEquals(TextKey.sentences(text), reply.sentences, () -> "sentences of \"" + shown + "\"");
    }
}
