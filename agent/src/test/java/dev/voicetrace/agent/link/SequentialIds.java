package dev.voicetrace.agent.link;

import java.util.Locale;

/** Deterministic ids: trace, span and event ids count up from 1, each in its own sequence. */
public final class SequentialIds implements IdGenerator {

    private long traces;
    private long spans;
    private long events;

    @Override
    public synchronized String traceId() {
        return String.format(Locale.ROOT, "%032x", 0xa0000000L + ++traces);
    }

    @Override
    public synchronized String spanId() {
        return String.format(Locale.ROOT, "%016x", 0xb0000000L + ++spans);
    }

    @Override
    public synchronized String eventId() {
        return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012x", ++events);
    }
}
