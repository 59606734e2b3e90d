package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class AttributeKeysTest {

    @Test
    void aNameSeenAgainGetsTheSameKey() {
        String first = AttributeKeys.prefixed("test.repeat.", "stage");
        assertEquals("test.repeat.stage", first);
        assertSame(first, AttributeKeys.prefixed("test.repeat.", new String("stage")));
        assertEquals("test.other.stage", AttributeKeys.prefixed("test.other.", "stage"));
    }

    @Test
    void pastTheBoundKeysAreStillRight() {
        for (int i = 0; i < 2_000; i++) {
            assertEquals("test.many." + i, AttributeKeys.prefixed("test.many.", Integer.toString(i)));
        }
        // The early names stay cached; the late ones are made each time.
        assertSame(AttributeKeys.prefixed("test.many.", "0"), AttributeKeys.prefixed("test.many.", "0"));
        assertNotSame(AttributeKeys.prefixed("test.many.", "1999"), AttributeKeys.prefixed("test.many.", "1999"));
    }
}
