package dev.voicetrace.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the earlier conversation out of a model call's messages, whatever the provider: the
 * texts of the user and assistant messages before the latest user message that has text, oldest
 * first. The linker compares them with the transcripts and replies it has seen to find the
 * conversation a call continues when nothing else names it.
 */
public final class ConversationHistory {

    /** Only the most recent texts are kept: they are enough to tell conversations apart. */
    static final int MAX_TEXTS = 16;

    private ConversationHistory() {
    }

    /**
     * @param messages the provider's message array
     * @param textOf   the provider's way of reading a message's text (null or empty when it has none)
     */
    public static List<String> of(JsonNode messages, Function<JsonNode, String> textOf) {
        if (messages == null || !messages.isArray() || messages.size() < 2) {
            return Collections.emptyList();
        }
        int latestUser = -1;
        for (int i = messages.size() - 1; i >= 0 && latestUser < 0; i--) {
            JsonNode message = messages.get(i);
            if (isUser(message) && hasText(textOf.apply(message))) {
                latestUser = i;
            }
        }
        ArrayDeque<String> texts = new ArrayDeque<>();
        for (int i = latestUser - 1; i >= 0 && texts.size() < MAX_TEXTS; i--) {
            JsonNode message = messages.get(i);
            if (isUser(message) || isAssistant(message)) {
                String text = textOf.apply(message);
                if (hasText(text)) {
                    texts.addFirst(text);
                }
            }
        }
        return texts.isEmpty() ? Collections.emptyList() : new ArrayList<>(texts);
    }

    /**
     * A message's text in the common shape (a {@code content} string, or parts with a
     * {@code text} field, or a {@code text} field of its own), for messages the agent built itself.
     */
    public static String plainText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(part.get("text").asText());
            }
        }
        if (text.length() == 0 && message.path("text").isTextual()) {
            return message.get("text").asText();
        }
        return text.toString();
    }

    /** A user message; Gemini's contents may leave the role out, which means the user. */
    private static boolean isUser(JsonNode message) {
        JsonNode role = message.get("role");
        return role == null || role.isNull() || "user".equals(role.asText());
    }

    /** An assistant message ({@code model} in Gemini's words). */
    private static boolean isAssistant(JsonNode message) {
        String role = message.path("role").asText("");
        return "assistant".equals(role) || "model".equals(role);
    }

    private static boolean hasText(String text) {
        return text != null && !text.trim().isEmpty();
    }
}
