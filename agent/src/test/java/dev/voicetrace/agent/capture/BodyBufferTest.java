package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyBufferTest {

    @Test
    void holdsWhatWasWrittenSinceTheLastResetGrowingAsNeeded() {
        BodyBuffer buffer = new BodyBuffer();
        byte[] chunk = new byte[3000];
        Arrays.fill(chunk, (byte) 'a');
        buffer.write('{');
        buffer.write(chunk, 0, chunk.length);
        buffer.write(chunk, 1000, 2000);
        buffer.write('}');
        assertEquals(5002, buffer.size());
        assertEquals('{', buffer.bytes()[0]);
        assertEquals('a', buffer.bytes()[5000]);
        assertEquals('}', buffer.bytes()[5001]);

        buffer.reset();
        buffer.write(new byte[] {1, 2, 3}, 1, 2);
        assertEquals(2, buffer.size());
        assertArrayEquals(new byte[] {2, 3}, Arrays.copyOf(buffer.bytes(), buffer.size()));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(new byte[2], 1, 2));
    }

    @Test
    void aBufferGrownBeyondTheLimitIsNotKept() {
        ThreadLocal<BodyBuffer> owner = ThreadLocal.withInitial(BodyBuffer::new);
        BodyBuffer small = owner.get();
        small.write(new byte[1000], 0, 1000);
        small.release(owner);
        assertSame(small, owner.get());

        small.write(new byte[BodyBuffer.MAX_KEPT_BYTES], 0, BodyBuffer.MAX_KEPT_BYTES);
        small.release(owner);
        assertNotSame(small, owner.get());
    }
}
