package dev.voicetrace.testapp.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the callers of {@link ConcurrentCallsApp} say and what the mock model answers them. Every
 * reply sentence names the caller and the turn (the count of the caller's messages so far), so a
 * test can tell from any traced text which conversation and turn it belongs to; on
 * {@link #SHARED_TURN} every caller says the same words, as real callers say "yes, please".
 */
public final class CallCentreScript {

    public static final int SHARED_TURN = 3;
    public static final String SHARED_UTTERANCE = "Yes, please.";
    private static final String SYSTEM_PREFIX = "You are the booking assistant for caller ";
    private static final Pattern CALLER = Pattern.compile(Pattern.quote(SYSTEM_PREFIX) + "(\\d+)");

    private CallCentreScript() {}

    public static String systemPrompt(int caller) {
        return SYSTEM_PREFIX + caller + ". Answer in two short sentences.";
    }

    public static String utterance(int caller, int turn) {
        return turn == SHARED_TURN ? SHARED_UTTERANCE
                : "This is caller " + caller + ", I would like to move booking " + (caller * 10 + turn) + ".";
    }

    public static String audioFileName(int caller, int turn) {
        return "caller-" + caller + "-turn-" + turn + ".wav";
    }

    static boolean isCallCentre(JsonNode messages) {
        return caller(messages) > 0;
    }

    /** Two sentences, each naming the caller and the turn. */
    static String reply(JsonNode messages) {
        int caller = caller(messages);
        int turn = 0;
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                turn++;
            }
        }
        return "Thank you, caller " + caller + ", that was your message number " + turn + ". "
                + "I have noted it for caller " + caller + " as message " + turn + ".";
    }

    private static int caller(JsonNode messages) {
        for (JsonNode message : messages) {
            if ("system".equals(message.path("role").asText()) || "developer".equals(message.path("role").asText())) {
                Matcher m = CALLER.matcher(message.path("content").asText(""));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return 0;
    }
}
