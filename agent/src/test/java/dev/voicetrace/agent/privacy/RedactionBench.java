package dev.voicetrace.agent.privacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.config.PrivacyOptions;
import dev.voicetrace.agent.config.PrivacyOptions.ContentMode;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the content policy costs the processing thread per observation, on the records of a voice
 * turn (a transcription, a model call with a system prompt, eight earlier messages and a tool, and
 * the speech of the reply): redaction with the default detectors and with all of them, on ordinary
 * text and on text that holds a card number, an e-mail address and a phone number, and metadata
 * mode. Each round copies fresh records (redaction changes them); the copying alone is timed too
 * and subtracted. Times are the thread's CPU time. Not a test: run it on demand,
 * {@code java -cp agent/target/classes:agent/target/test-classes:<dependencies> dev.voicetrace.agent.privacy.RedactionBench}.
 */
public final class RedactionBench {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The bench thread's CPU time: on a shared machine wall time also counts the other processes. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String[] HISTORY = {
        "Hi, I'm planning a walk this afternoon. What's the weather like in Lisbon right now?",
        "It's sunny in Lisbon right now at about 21 degrees with a light breeze. Perfect weather for a walk!",
        "Great. Can you suggest a good place to have lunch near the river?",
        "Try the riverside cafes in Cais do Sodre, they serve grilled sardines and fresh salads.",
        "How long does it take to walk from there to Belem?",
        "It's about six kilometres, so roughly an hour and ten minutes on foot. Tram 15 runs the same route.",
        "Do I need a ticket for the tram? I think I have 2 cards with about 10 euros on them from 2023.",
        "Yes, you can pay the driver or use a rechargeable Viva Viagem card; a ride costs 1.85 euros."};
    private static final String PLAIN_UTTERANCE = "Okay, and could you book me a table for 4 people at 13:30, order"
            + " reference 20240518-7731?";
    private static final String PLAIN_REPLY = "Done: a table for 4 at 13:30 is booked under reference"
            + " 20240518-7731. Enjoy your lunch by the river!";
    private static final String PII_UTTERANCE = "Okay, book it and charge card 4111 1111 1111 1111, send the receipt"
            + " to ana.silva@example.com and call me on +44 20 7946 0958 if anything changes.";
    private static final String PII_REPLY = "Done: charged card 4111 1111 1111 1111, the receipt goes to"
            + " ana.silva@example.com and we will call +44 20 7946 0958 if anything changes.";

    private RedactionBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Redactor defaults = Redactor.of(Arrays.asList(PrivacyOptions.DEFAULT_REDACT.split(",")),
                Collections.emptyList());
        Redactor all = Redactor.of(PrivacyOptions.DETECTORS, Collections.emptyList());
        List<StageRecord> plain = turn(PLAIN_UTTERANCE, PLAIN_REPLY);
        List<StageRecord> personal = turn(PII_UTTERANCE, PII_REPLY);
        for (int pass = 0; pass < 2; pass++) {
            boolean report = pass == 1;
            run(report, "default detectors (card,iban,ssn), ordinary text", new ContentPolicy(ContentMode.FULL, defaults),
                    plain, rounds);
            run(report, "all detectors, ordinary text", new ContentPolicy(ContentMode.FULL, all), plain, rounds);
            run(report, "all detectors, card + e-mail + phone in the turn", new ContentPolicy(ContentMode.FULL, all),
                    personal, rounds);
            run(report, "metadata mode and all detectors", new ContentPolicy(ContentMode.METADATA, all), personal,
                    rounds);
        }
    }

    private static void run(boolean report, String name, ContentPolicy policy, List<StageRecord> turn, int rounds) {
        // The fastest of several repetitions: on a shared machine the slower ones measure other processes.
        long copyOnly = Long.MAX_VALUE;
        long withPolicy = Long.MAX_VALUE;
        long sink = 0;
        int redactions = 0;
        for (int repetition = 0; repetition < 7; repetition++) {
            long started = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                for (StageRecord record : turn) {
                    sink += copy(record).metadata.size();
                }
            }
            copyOnly = Math.min(copyOnly, CPU.getCurrentThreadCpuTime() - started);
            started = CPU.getCurrentThreadCpuTime();
            redactions = 0;
            for (int i = 0; i < rounds; i++) {
                for (StageRecord record : turn) {
                    redactions += policy.apply(copy(record));
                }
            }
            withPolicy = Math.min(withPolicy, CPU.getCurrentThreadCpuTime() - started);
        }
        if (report) {
            double perObservation = (withPolicy - copyOnly) / (double) (rounds * turn.size());
            System.out.println(String.format(Locale.ROOT, "%-52s %8.2f us per observation (%d redactions per turn)%s",
                    name, perObservation / 1000.0, redactions / rounds, sink == 42 ? "!" : ""));
        }
    }

    private static List<StageRecord> turn(String utterance, String reply) {
        StageRecord stt = record(StageKind.STT);
        ObjectNode audio = JSON.objectNode();
        audio.putObject("audio").put("filename", "caller-turn-5.wav").put("content_type", "audio/wav").put("bytes", 48_232);
        stt.input = audio;
        stt.output = JSON.objectNode().put("text", utterance);
        stt.outputText = utterance;

        StageRecord llm = record(StageKind.LLM);
        ObjectNode request = JSON.objectNode().put("model", "gpt-4o-mini");
        ArrayNode messages = request.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a friendly voice assistant for a city travel"
                + " help line. Answer in one to three short sentences that sound natural when spoken aloud.");
        for (int i = 0; i < HISTORY.length; i++) {
            messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", HISTORY[i]);
        }
        messages.addObject().put("role", "user").put("content", utterance);
        ObjectNode function = request.putArray("tools").addObject().put("type", "function").putObject("function");
        function.put("name", "book_table").put("description", "Book a restaurant table.");
        function.putObject("parameters").put("type", "object");
        llm.input = request;
        llm.inputText = utterance;
        llm.output = JSON.objectNode().put("role", "assistant").put("content", reply).put("finish_reason", "stop");
        llm.outputText = reply;
        llm.metadata.put("finish_reason", "stop");
        llm.metadata.put("response_id", "chatcmpl-3e2GFBgfojCHoIG2ebhhMejVhDFuZ");
        llm.modelParameters.put("temperature", 0.7);

        StageRecord tts = record(StageKind.TTS);
        tts.input = JSON.objectNode().put("text", reply).put("voice", "coral");
        tts.inputText = reply;
        tts.output = JSON.objectNode().put("audio_bytes", 29_444).put("content_type", "audio/wav");
        return Arrays.asList(stt, llm, tts);
    }

    private static StageRecord record(StageKind kind) {
        StageRecord record = new StageRecord();
        record.kind = kind;
        record.provider = "openai";
        record.operation = "op";
        record.metadata.put("stage", kind.name());
        return record;
    }

    private static StageRecord copy(StageRecord source) {
        StageRecord copy = new StageRecord();
        copy.kind = source.kind;
        copy.provider = source.provider;
        copy.input = source.input == null ? null : source.input.deepCopy();
        copy.output = source.output == null ? null : source.output.deepCopy();
        copy.inputText = source.inputText;
        copy.outputText = source.outputText;
        copy.metadata.putAll(source.metadata);
        copy.modelParameters.putAll(source.modelParameters);
        return copy;
    }
}
