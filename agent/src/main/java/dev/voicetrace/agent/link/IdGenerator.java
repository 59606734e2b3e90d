package dev.voicetrace.agent.link;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Makes trace, span and event ids; injectable so that projections are reproducible in tests. */
public interface IdGenerator {

    /** 16 random bytes as 32 lowercase hex digits, as OpenTelemetry and Langfuse trace ids are. */
    String traceId();

    /** 8 random bytes as 16 lowercase hex digits. */
    String spanId();

    /** A UUID v4, as Langfuse's ingestion events want. */
    String eventId();

    IdGenerator RANDOM = new IdGenerator() {
        @Override
        public String traceId() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return hex(random.nextLong(), random.nextLong());
        }

        @Override
        public String spanId() {
            return hex(ThreadLocalRandom.current().nextLong());
        }

        @Override
        public String eventId() {
            return randomUuid().toString();
        }
    };

    /**
     * A random version-4 UUID. These are identifiers, not secrets: they are drawn from
     * {@link ThreadLocalRandom}, where {@link UUID#randomUUID()} would initialise a
     * {@code SecureRandom} (some 10 ms of the application's start-up when the agent's premain asks
     * first) and take its lock on every call.
     */
    static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    static String hex(long value) {
        byte[] digits = new byte[16];
        writeHex(value, digits, 0);
        return new String(digits, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Two longs' 32 digits, written straight into one array: a trace id for every turn. */
    static String hex(long high, long low) {
        byte[] digits = new byte[32];
        writeHex(high, digits, 0);
        writeHex(low, digits, 16);
        return new String(digits, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void writeHex(long value, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = (byte) Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
    }
}
