package dev.voicetrace.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void randomUuidsAreVersionFourOfTheIetfVariantAndDistinct() {
        Set<UUID> seen = new HashSet<>();
        int[] timesSet = new int[128];
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = IdGenerator.randomUuid();
            assertEquals(4, uuid.version(), uuid::toString);
            assertEquals(2, uuid.variant(), uuid::toString);
            assertEquals(uuid, UUID.fromString(uuid.toString()));
            assertTrue(seen.add(uuid), "drawn twice: " + uuid);
            for (int bit = 0; bit < 64; bit++) {
                timesSet[bit] += (int) ((uuid.getLeastSignificantBits() >>> bit) & 1);
                timesSet[64 + bit] += (int) ((uuid.getMostSignificantBits() >>> bit) & 1);
            }
        }
        // Every bit outside the variant (the two highest of the low half) and the version field
        // varies: none is stuck at 0 or 1.
        for (int bit = 0; bit < 128; bit++) {
            if (bit == 62 || bit == 63 || bit >= 64 + 12 && bit < 64 + 16) {
                continue;
            }
            assertTrue(timesSet[bit] > 4_000 && timesSet[bit] < 6_000,
                    "bit " + bit + " set in " + timesSet[bit] + " of 10000");
        }
    }

    @Test
    void eventIdsAreUuids() {
        String id = IdGenerator.RANDOM.eventId();
        assertEquals(4, UUID.fromString(id).version());
        assertEquals(36, id.length());
    }

    @Test
    void idsAreTheirRandomBitsAsLowercaseHexWithLeadingZeros() {
        long[] samples = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xABCDEFL, 0x0123456789abcdefL};
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 1_000; i++) {
            long high = i < samples.length ? samples[i] : random.nextLong() >>> random.nextInt(64);
            long low = random.nextLong();
            assertEquals(String.format("%016x", high), IdGenerator.hex(high));
            assertEquals(String.format("%016x%016x", high, low), IdGenerator.hex(high, low));
        }
        assertTrue(IdGenerator.RANDOM.traceId().matches("[0-9a-f]{32}"));
        assertTrue(IdGenerator.RANDOM.spanId().matches("[0-9a-f]{16}"));
    }
}
