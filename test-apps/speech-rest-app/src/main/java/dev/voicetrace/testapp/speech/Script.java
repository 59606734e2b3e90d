package dev.voicetrace.testapp.speech;

import java.util.Arrays;
import java.util.List;

/** What the caller says and what the bot answers, turn by turn; the mock and the app share it. */
final class Script {

    /** Caller utterances: three live turns transcribed by Deepgram, then a voicemail by AssemblyAI. */
    static final List<String> HEARD = Arrays.asList(
            "Hi, I'd like to book a table for two tonight.",
            "Around seven thirty, please.",
            "It's under Rivera.",
            "Hello, this is a message for the reservations team, please call me back about my booking.");

    static final List<String> REPLIES = Arrays.asList(
            "Sure, I can help with that. What time would you like the table for two?",
            "Seven thirty works. Can I have a name for the booking?",
            "Thank you, Rivera. Your table for two is booked for seven thirty tonight.",
            "Thanks for your message. We will call you back about your booking shortly.");

    static final String SYSTEM_PROMPT = "You are the phone assistant of a small restaurant. Answer in one or two "
            + "short sentences.";

    private Script() {}

    /** The reply to a caller's words; a polite fallback for anything off script. */
    static String replyTo(String heard) {
        int index = HEARD.indexOf(heard);
        return index >= 0 ? REPLIES.get(index) : "Sorry, could you say that again?";
    }
}
