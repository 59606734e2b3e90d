package dev.voicetrace.agent.capture;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A response body that keeps a copy of the bytes read through it and hands the copy to its call
 * when the reader reaches the end or closes it, or when the parse it was read for is over. A body
 * longer than {@link #MAX_BYTES} is not kept.
 */
final class CopyingInputStream extends FilterInputStream {

    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final byte[] NOTHING_YET = new byte[0];

    private final InFlightCall call;
    /**
     * The bytes read so far, null once given up. The first read sizes it: a reader's first read of
     * a small body is usually the whole body, so the copy is allocated once.
     */
    private byte[] copy = NOTHING_YET;
    private int length;
    private boolean handedOver;

    CopyingInputStream(InputStream in, InFlightCall call) {
        super(in);
        this.call = call;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            keep(new byte[] {(byte) b}, 0, 1);
        } else {
            handOver();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = super.read(buffer, offset, count);
        if (n > 0) {
            keep(buffer, offset, n);
        } else if (n < 0) {
            handOver();
        }
        return n;
    }

    /** Skipped bytes are not seen: the copy is given up. */
    @Override
    public long skip(long n) throws IOException {
        copy = null;
        return super.skip(n);
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            handOver();
        }
    }

    private void keep(byte[] buffer, int offset, int count) {
        if (copy == null) {
            return;
        }
        if (length + count > MAX_BYTES) {
            copy = null;
            return;
        }
        if (length + count > copy.length) {
            copy = Arrays.copyOf(copy, length == 0 ? count : Math.max(length + count, copy.length * 2));
        }
        System.arraycopy(buffer, offset, copy, length, count);
        length += count;
    }

    void handOver() {
        if (!handedOver && copy != null) {
            handedOver = true;
            call.onResponseBody(copy, length);
        }
    }
}
