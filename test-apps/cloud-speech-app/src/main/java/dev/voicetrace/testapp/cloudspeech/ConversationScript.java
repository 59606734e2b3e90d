package dev.voicetrace.testapp.cloudspeech;

import java.util.List;

/** What the caller says in each turn, and what the bot answers. */
final class ConversationScript {

    record Turn(String heard, String reply) {}

    static final List<Turn> TURNS = List.of(
            new Turn("What's the weather like in Lisbon today?",
                    "It is sunny in Lisbon today, twenty three degrees."),
            new Turn("Can you book a table for two at eight?",
                    "Your table for two is booked for eight o'clock."),
            new Turn("Is the tile museum open on Sunday?",
                    "Yes, the tile museum opens at ten on Sunday."),
            new Turn("Thanks, that's all.",
                    "Goodbye, and thank you for calling."),
            new Turn("Please send me the recording of this call.",
                    "The recording is on its way to your inbox."),
            new Turn("Do you have a vegetarian menu?",
                    "Yes, there is a vegetarian menu every evening."));

    private ConversationScript() {}

    /** The scripted turn (1-based) an utterance is tagged with. */
    static Turn turn(int number) {
        return TURNS.get(Math.floorMod(number - 1, TURNS.size()));
    }
}
