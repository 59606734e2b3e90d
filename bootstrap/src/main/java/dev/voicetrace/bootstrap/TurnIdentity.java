package dev.voicetrace.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids under which a turn is exported, known on the application thread from the moment the
 * turn starts, so that they can travel with outgoing requests (W3C {@code traceparent}) before
 * the agent's processing thread has seen a single record of the turn. Immutable.
 *
 * <p>A local turn was opened in this JVM by a transcription; a remote turn was opened in another
 * service and arrived with an incoming request: this JVM's observations join it under its
 * {@link #spanId} and never export a turn root of their own.
 */
public final class TurnIdentity {

    /** 32 lowercase hex digits. */
    public final String traceId;
    /** Local: the turn root's span id. Remote: the span the observations of this JVM hang under. */
    public final String spanId;
    /** Local: the span id of the transcription that opened the turn. Remote: the same, when the caller said it; else null. */
    public final String openerSpanId;
    /** Local only: the span the turn root hangs under (an OpenTelemetry span active at the transcription), or null. */
    public final String parentSpanId;
    public final boolean remote;

    private TurnIdentity(String traceId, String spanId, String openerSpanId, String parentSpanId, boolean remote) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.openerSpanId = openerSpanId;
        this.parentSpanId = parentSpanId;
        this.remote = remote;
    }

    /**
     * A new turn opened here; inside the application's trace {@code traceId} under
     * {@code parentSpanId} when both are given (an OpenTelemetry span is active), else in a trace of its own.
     */
    public static TurnIdentity local(String traceId, String parentSpanId) {
        boolean inside = traceId != null && parentSpanId != null;
        return new TurnIdentity(inside ? traceId : newTraceId(), newSpanId(), newSpanId(),
                inside ? parentSpanId : null, false);
    }

    /** A turn opened in another service, as an incoming request named it. */
    public static TurnIdentity remote(String traceId, String parentSpanId, String openerSpanId) {
        return new TurnIdentity(traceId, parentSpanId, openerSpanId, null, true);
    }

    static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return hex(high) + hex(low);
    }

    static String newSpanId() {
        long value;
        do {
            value = ThreadLocalRandom.current().nextLong();
        } while (value == 0);
        return hex(value);
    }

    static String hex(long value) {
        char[] digits = new char[16];
        for (int i = 15; i >= 0; i--) {
            digits[i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
        return new String(digits);
    }

    @Override
    public String toString() {
        return (remote ? "remote " : "") + traceId + "/" + spanId;
    }
}
