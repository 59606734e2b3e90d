package dev.voicetrace.agent.link;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalised text for matching one stage's output with the next stage's input: case, accents'
 * composition, punctuation and runs of white space do not matter ("Yes, please." matches
 * "yes please"), since a speech engine's text and a model's reply differ in exactly these.
 */
final class TextKey {

    private TextKey() {}

    static String of(String text) {
        if (text == null) {
            return null;
        }
        // NFKC leaves ASCII as it is; most texts are ASCII, and normalising costs more than the rest.
        // An ASCII text is lower-cased by keyOf as it is read, without a lower-case copy first.
        String normalized = isAscii(text) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return keyOf(normalized, null);
    }

    /**
     * The key of a normalised text; given a list, also the keys of its sentences, ended as in
     * {@link #sentences} (which this can tell in the normalised text only where normalising kept
     * every character in place: ASCII). Characters are classified through {@link #classOf} and
     * the key is built in an array: this runs for every text the linker sees, and with the
     * {@code Character} methods and a growing {@code StringBuilder} inlined at each use it was the
     * agent's costliest method for the JIT to compile (0.1 s of C2 time, twice). ASCII capitals
     * are lower-cased here, as {@code toLowerCase(Locale.ROOT)} does; other characters come
     * lower-cased.
     */
    private static String keyOf(String normalized, List<String> sentences) {
        int length = normalized.length();
        char[] out = new char[length];
        int size = 0;
        boolean space = false;
        int sentenceStart = 0;
        for (int i = 0; i < length; i++) {
            char c = normalized.charAt(i);
            int type = classOf(c);
            if ((type & WHITESPACE) != 0) {
                space = size > 0;
            } else if ((type & PUNCTUATION) != 0 && !innerJoiner(normalized, i, c)) {
                // Punctuation separates like white space: "Yes, please." ~ "yes please".
                space = size > 0;
            } else {
                if (space) {
                    out[size++] = ' ';
                    space = false;
                }
                out[size++] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            }
            if (sentences != null && endsSentence(normalized, i)) {
                addStretch(sentences, out, sentenceStart, size);
                sentenceStart = size;
            }
        }
        if (sentences != null) {
            addStretch(sentences, out, sentenceStart, size);
        }
        return size == 0 ? null : new String(out, 0, size);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** {@link Character#isWhitespace}. */
    static final int WHITESPACE = 1;
    /** One of the punctuation categories of {@link Character#getType}. */
    static final int PUNCTUATION = 2;
    /** {@link Character#isLetterOrDigit}. */
    static final int LETTER_OR_DIGIT = 4;
    /** {@link Character#isDigit}. */
    static final int DIGIT = 8;
    /** The classes of the Latin-1 characters: ASCII and the accented letters of Western European languages. */
    private static final byte[] LATIN1_CLASSES = new byte[0x100];

    static {
        for (char c = 0; c < 0x100; c++) {
            LATIN1_CLASSES[c] = (byte) classOfAny(c);
        }
    }

    /** What matters of a character for a key, as the bits above. */
    static int classOf(char c) {
        return c < 0x100 ? LATIN1_CLASSES[c] : classOfAny(c);
    }

    private static int classOfAny(char c) {
        return (Character.isWhitespace(c) ? WHITESPACE : 0)
                | (isPunctuation(c) ? PUNCTUATION : 0)
                | (Character.isLetterOrDigit(c) ? LETTER_OR_DIGIT : 0)
                | (Character.isDigit(c) ? DIGIT : 0);
    }

    private static boolean isPunctuation(char c) {
        switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    /** A mark inside a word or number that joins rather than separates: "don't", "3.5", "e-mail". */
    private static boolean innerJoiner(String text, int i, char c) {
        if (i == 0 || i + 1 == text.length()) {
            return false;
        }
        int before = classOf(text.charAt(i - 1));
        int after = classOf(text.charAt(i + 1));
        // "1,000" keeps its comma; "well,yes" does not.
        boolean joiner = c == '\'' || c == '\u2019' || c == '.' || c == '-'
                || c == ',' && (before & DIGIT) != 0 && (after & DIGIT) != 0;
        return joiner && (before & LETTER_OR_DIGIT) != 0 && (after & LETTER_OR_DIGIT) != 0;
    }

    /** A model reply's key, and the keys of its sentences. */
    static final class Reply {
        /** The whole reply's key, null when it has none. */
        final String key;
        /** Its sentences' keys, in order, none null. */
        final List<String> sentences;

        Reply(String key, List<String> sentences) {
            this.key = key;
            this.sentences = sentences;
        }
    }

    /**
     * {@link #of} and {@link #sentences} of a reply together. An ASCII text (most replies) is
     * walked once: a sentence ends at punctuation followed by white space, which its key turns
     * into one space as the whole text's key does, so the sentences' keys are the stretches of the
     * whole key between those ends. Other texts are normalised as a whole and per sentence.
     */
    static Reply ofReply(String text) {
        if (text == null || !isAscii(text)) {
            return new Reply(of(text), sentences(text));
        }
        List<String> sentences = new ArrayList<>();
        String key = keyOf(text, sentences);
        return new Reply(key, sentences);
    }

    /** The key built from {@code start} to {@code end}, without the space that separates it from the one before. */
    private static void addStretch(List<String> sentences, char[] key, int start, int end) {
        if (start < end && key[start] == ' ') {
            start++;
        }
        if (start < end) {
            sentences.add(new String(key, start, end - start));
        }
    }

    private static boolean endsSentence(String text, int i) {
        char c = text.charAt(i);
        return (c == '.' || c == '!' || c == '?' || c == '\n')
                && (i + 1 == text.length() || (classOf(text.charAt(i + 1)) & WHITESPACE) != 0);
    }

    /** The sentences of a text, each normalised; a reply is often spoken sentence by sentence. */
    static List<String> sentences(String text) {
        List<String> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (endsSentence(text, i)) {
                addSentence(result, text.substring(start, i + 1));
                start = i + 1;
            }
        }
        addSentence(result, text.substring(start));
        return result;
    }

    private static void addSentence(List<String> result, String sentence) {
        String key = of(sentence);
        if (key != null) {
            result.add(key);
        }
    }

}
