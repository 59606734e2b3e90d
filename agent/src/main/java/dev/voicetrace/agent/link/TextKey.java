package dev.voicetrace.agent.link;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalised text for matching one stage's output with the next stage's input: case, accents'
 * composition, punctuation at the edges and runs of white space do not matter.
 */
final class TextKey {

    private TextKey() {}

    static String of(String text) {
        if (text == null) {
            return null;
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(normalized.length());
        boolean space = false;
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        String key = stripEdgePunctuation(out.toString());
        return key.isEmpty() ? null : key;
    }

    /** The sentences of a text, each normalised; a reply is often spoken sentence by sentence. */
    static List<String> sentences(String text) {
        List<String> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean end = (c == '.' || c == '!' || c == '?' || c == '\n')
                    && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
            if (end) {
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

    private static String stripEdgePunctuation(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isEdgePunctuation(text.charAt(start))) {
            start++;
        }
        while (end > start && isEdgePunctuation(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end).trim();
    }

    private static boolean isEdgePunctuation(char c) {
        return ".,!?;:\"'()[]{}…-".indexOf(c) >= 0;
    }
}
