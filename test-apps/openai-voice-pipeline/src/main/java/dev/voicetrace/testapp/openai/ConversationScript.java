package dev.voicetrace.testapp.openai;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The scripted phone call the mock server plays back: what the caller "says" on each turn (the
 * transcript the STT endpoint returns) and what the "LLM" answers to each utterance. Shared by
 * {@link MockOpenAiServer} (which serves it) and the demo's documentation/tests.
 *
 * <p>Plain JDK only: no openai-java types in here.
 */
public final class ConversationScript {

    /** One caller utterance and the assistant's scripted reply to it. */
    public static final class Line {
        public final String utterance;
        public final String reply;
        /** Reply once a {@code get_weather} tool result is in the conversation (null: same as reply). */
        public final String replyAfterTool;

        Line(String utterance, String reply, String replyAfterTool) {
            this.utterance = utterance;
            this.reply = reply;
            this.replyAfterTool = replyAfterTool;
        }
    }

    public static final List<Line> LINES = Collections.unmodifiableList(Arrays.asList(
            new Line("Hi, I'm planning a walk this afternoon. What's the weather like in Lisbon right now?",
                    "Let me check the current conditions in Lisbon for you.",
                    "It's sunny in Lisbon right now at about 21 degrees with a light breeze. "
                            + "Perfect weather for a walk along the river!"),
            new Line("Great. Can you suggest a good place to have lunch near the river?",
                    "Try the riverside cafes in Cais do Sodre, they serve grilled sardines and fresh salads. "
                            + "Most of them have terraces with a view of the water.",
                    null),
            new Line("How long does it take to walk from there to Belem?",
                    "It's about six kilometres, so roughly an hour and ten minutes on foot. "
                            + "If you get tired, tram fifteen runs along the same route.",
                    null),
            new Line("Perfect, thank you. That's all I needed.",
                    "You're welcome! Enjoy your walk and have a lovely lunch.",
                    null),
            new Line("Actually, one more thing. Do I need a ticket for the tram?",
                    "Yes, you can pay the driver or use a rechargeable Viva Viagem card. "
                            + "The card is cheaper if you plan more than one ride.",
                    null),
            new Line("Okay, goodbye!",
                    "Goodbye, and have a wonderful day in Lisbon!",
                    null)));

    /** Tool the demo offers on turn 1; the mock always calls it with these arguments. */
    public static final String WEATHER_TOOL = "get_weather";
    public static final String WEATHER_TOOL_ARGUMENTS = "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}";
    /** The demo's fixed answer to the tool call. */
    public static final String WEATHER_TOOL_RESULT =
            "{\"city\":\"Lisbon\",\"temperature\":21,\"unit\":\"celsius\",\"condition\":\"sunny\",\"wind_kph\":9}";

    private ConversationScript() {
    }

    /** The scripted line for a 1-based turn number (the script wraps around). */
    public static Line forTurn(int turn) {
        int index = Math.floorMod(turn - 1, LINES.size());
        return LINES.get(index);
    }

    /** The line whose utterance is exactly {@code text}, or null. */
    public static Line forUtterance(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        for (Line line : LINES) {
            if (line.utterance.equals(t)) {
                return line;
            }
        }
        return null;
    }

    /** Deterministic reply for text that is not in the script. */
    public static String fallbackReply(String userText) {
        String heard = userText == null ? "" : userText.trim();
        if (heard.length() > 60) {
            heard = heard.substring(0, 60).trim() + "...";
        }
        return "I heard you say \"" + heard + "\". How else can I help you today?";
    }
}
