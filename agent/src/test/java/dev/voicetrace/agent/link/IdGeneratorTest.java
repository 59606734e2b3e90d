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
        int[] versionBitsSet = new int[64];
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = IdGenerator.randomUuid();
            assertEquals(4, uuid.version(), uuid::toString);
            assertEquals(2, uuid.variant(), uuid::toString);
            assertEquals(uuid, UUID.fromString(uuid.toString()));
            assertTrue(seen.add(uuid), "drawn twice: " + uuid);
            long bits = uuid.getMostSignificantBits();
            for (int bit = 0; bit < 64; bit++) {
                versionBitsSet[bit] += (int) ((bits >>> bit) & 1);
            }
        }
        // Every bit outside the version field varies: none is stuck at 0 or 1.
        for (int bit = 0; bit < 64; bit++) {
            if (bit >= 12 && bit < 16) {
                continue;
            }
            assertTrue(versionBitsSet[bit] > 4_000 && versionBitsSet[bit] < 6_000, "bit " + bit + ": " + versionBitsSet[bit]);
        }
    }

    @Test
    void eventIdsAreUuids() {
        String id = IdGenerator.RANDOM.eventId();
        assertEquals(4, UUID.fromString(id).version());
        assertEquals(36, id.length());
    }
}
