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
            return hex(random.nextLong()) + hex(random.nextLong());
        }

        @Override
        public String spanId() {
            return hex(ThreadLocalRandom.current().nextLong());
        }

        @Override
        public String eventId() {
            return UUID.randomUUID().toString();
        }
    };

    static String hex(long value) {
        String digits = Long.toHexString(value);
        StringBuilder padded = new StringBuilder(16);
        for (int i = digits.length(); i < 16; i++) {
            padded.append('0');
        }
        return padded.append(digits).toString();
    }
}
