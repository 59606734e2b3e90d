package dev.voicetrace.agent.capture;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An output stream into a byte array that one thread keeps and writes again and again (unlike
 * {@link java.io.ByteArrayOutputStream}, its writes take no lock and its bytes are read in place).
 */
final class BodyBuffer extends OutputStream {

    /** A buffer grown beyond this by an unusually large body is not kept for the next one. */
    static final int MAX_KEPT_BYTES = 1 << 20;

    private byte[] bytes = new byte[4096];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] from, int offset, int length) {
        if (offset < 0 || length < 0 || offset > from.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + from.length);
        }
        ensure(length);
        System.arraycopy(from, offset, bytes, size, length);
        size += length;
    }

    /** The array the bytes written are in, from index 0 to {@link #size()}; valid until the next write or reset. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    /** After use: a buffer grown too large is dropped from {@code owner}, so that its memory goes. */
    void release(ThreadLocal<BodyBuffer> owner) {
        if (bytes.length > MAX_KEPT_BYTES) {
            owner.remove();
        }
    }

    private void ensure(int more) {
        if (more > bytes.length - size) {
            int needed = Math.addExact(size, more);
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
