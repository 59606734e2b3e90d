package dev.voicetrace.agent.privacy;

import java.nio.charset.StandardCharsets;

/**
 * Keeps or drops whole sessions, decided from the session id alone: a 64-bit FNV-1a hash of its
 * UTF-8 bytes, mixed, read as a fraction in [0, 1) and compared with the rate. The same id gives
 * the same answer in every JVM, so every turn of a session, whichever process traced it, is kept
 * or dropped together.
 */
public final class SessionSampler {

    private static final double TWO_TO_MINUS_53 = 1.0 / (1L << 53);

    private final double rate;
    private final boolean keepErrors;

    public SessionSampler(double rate, boolean keepErrors) {
        this.rate = rate;
        this.keepErrors = keepErrors;
    }

    /** Whether every session is kept (the rate is 1): nothing needs to be decided. */
    public boolean keepsAll() {
        return rate >= 1.0;
    }

    /** Whether a turn with an ERROR observation is kept in a session that is dropped. */
    public boolean keepsErrors() {
        return keepErrors;
    }

    public boolean keeps(String sessionId) {
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0 || sessionId == null) {
            return rate > 0.0;
        }
        return fraction(sessionId) < rate;
    }

    /** The session id's place in [0, 1). */
    static double fraction(String sessionId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : sessionId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // FNV alone leaves ids that differ in their last character close together: mix the bits.
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (hash >>> 11) * TWO_TO_MINUS_53;
    }
}
