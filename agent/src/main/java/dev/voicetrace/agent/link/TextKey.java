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
        String normalized = (isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC))
                .toLowerCase(Locale.ROOT);
        return keyOf(normalized, null);
    }

    /**
     * The key of a normalised text; given a list, also the keys of its sentences, ended as in
     * {@link #sentences} (which this can tell in the normalised text only where normalising kept
     * every character in place: ASCII).
     */
    private static String keyOf(String normalized, List<String> sentences) {
        StringBuilder out = new StringBuilder(normalized.length());
        boolean space = false;
        int sentenceStart = 0;
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else if (isPunctuation(c) && !innerJoiner(normalized, i)) {
                // Punctuation separates like white space: "Yes, please." ~ "yes please".
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
            if (sentences != null && endsSentence(normalized, i)) {
                addStretch(sentences, out, sentenceStart);
                sentenceStart = out.length();
            }
        }
        if (sentences != null) {
            addStretch(sentences, out, sentenceStart);
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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
    private static boolean innerJoiner(String text, int i) {
        char c = text.charAt(i);
        boolean joiner = c == '\'' || c == '\u2019' || c == '.' || c == '-' || c == ',' && isDigitAround(text, i);
        return joiner && i > 0 && i + 1 < text.length()
                && Character.isLetterOrDigit(text.charAt(i - 1)) && Character.isLetterOrDigit(text.charAt(i + 1));
    }

    /** "1,000" keeps its comma; "well,yes" does not. */
    private static boolean isDigitAround(String text, int i) {
        return i > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i - 1))
                && Character.isDigit(text.charAt(i + 1));
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
        String key = keyOf(text.toLowerCase(Locale.ROOT), sentences);
        return new Reply(key, sentences);
    }

    /** The key built since {@code start}, without the space that separates it from the one before. */
    private static void addStretch(List<String> sentences, StringBuilder out, int start) {
        if (start < out.length() && out.charAt(start) == ' ') {
            start++;
        }
        if (start < out.length()) {
            sentences.add(out.substring(start));
        }
    }

    private static boolean endsSentence(String text, int i) {
        char c = text.charAt(i);
        return (c == '.' || c == '!' || c == '?' || c == '\n')
                && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
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
