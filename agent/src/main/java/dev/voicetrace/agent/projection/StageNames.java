package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Names, metadata and timestamps shared by both wire formats, so that they show the same thing. */
final class StageNames {

    static final String TURN_NAME = "voice-turn";

    private StageNames() {}

    /** For example {@code llm openai.chat.completions}; a tool by its name, {@code tool get_weather}. */
    static String observationName(StageRecord record) {
        if (record.kind == StageKind.TOOL) {
            return "tool " + record.metadata.getOrDefault("tool_name", "unknown");
        }
        String operation = record.operation == null ? "call" : record.operation;
        if (operation.endsWith(".create")) {
            operation = operation.substring(0, operation.length() - ".create".length());
        }
        return record.kind.name().toLowerCase(Locale.ROOT) + ' ' + record.provider + '.' + operation;
    }

    /** The observation's metadata: the record's own, plus where it sits in the pipeline. */
    static Map<String, String> metadata(LinkedObservation observation) {
        StageRecord record = observation.record;
        Map<String, String> metadata = new TreeMap<>(record.metadata);
        metadata.putAll(observation.linkFacts);
        metadata.put("stage", record.kind.name().toLowerCase(Locale.ROOT));
        metadata.put("provider", record.provider);
        metadata.put("operation", record.operation);
        metadata.put("streaming", Boolean.toString(record.streaming));
        metadata.put("turn_index", Integer.toString(observation.turn.index));
        if (observation.linkedFromSpanId != null) {
            metadata.put("linked_from", observation.linkedFromSpanId);
            metadata.put("linked_by", observation.linkedBy);
            // Upstream of a model call is a transcript; upstream of speech is a model reply.
            metadata.put(record.kind == StageKind.TTS || record.kind == StageKind.TOOL ? "from_llm" : "from_stt",
                    observation.linkedFromSpanId);
        }
        return metadata;
    }

    /**
     * The instant in UTC as {@link Instant#toString()} writes it ({@code 2026-12-06T15:28:54.123Z},
     * the fraction in groups of three digits, none when zero), written directly: the formatter
     * behind {@code Instant.toString()} was a few per cent of the processing thread's time in a
     * voice application, whose few calls a second leave that code interpreted for minutes.
     */
    static String iso(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        // A long of nanoseconds spans the years 1677 to 2262: always four digits.
        char[] text = new char[30];
        int at = digits(text, 0, date.getYear(), 4);
        text[at++] = '-';
        at = digits(text, at, date.getMonthValue(), 2);
        text[at++] = '-';
        at = digits(text, at, date.getDayOfMonth(), 2);
        text[at++] = 'T';
        at = digits(text, at, secondOfDay / 3600, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay / 60 % 60, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay % 60, 2);
        if (nanos != 0) {
            text[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(text, at, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                at = digits(text, at, nanos / 1000, 6);
            } else {
                at = digits(text, at, nanos, 9);
            }
        }
        text[at++] = 'Z';
        return new String(text, 0, at);
    }

    /** {@code value} in exactly {@code width} decimal digits, zero-padded, at {@code at}; the end. */
    private static int digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
