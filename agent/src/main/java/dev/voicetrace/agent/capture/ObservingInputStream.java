package dev.voicetrace.agent.capture;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body as the application reads it: counts the bytes (the first one times the first
 * output), records a failed read as the call's error, and runs {@code onEnd} when a read finds the
 * end. Each read is wrapped inline rather than through a lambda, which would be an allocation per
 * read on the application's thread wherever the JIT has not removed it.
 */
public class ObservingInputStream extends FilterInputStream {

    private final InFlightCall call;
    private final Runnable onEnd;

    public ObservingInputStream(InputStream in, InFlightCall call, Runnable onEnd) {
        super(in);
        this.call = call;
        this.onEnd = onEnd;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException | RuntimeException e) {
            call.fail(e);
            throw e;
        }
        if (b >= 0) {
            call.onBodyBytes(1);
        } else {
            onEnd.run();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            call.fail(e);
            throw e;
        }
        if (n > 0) {
            call.onBodyBytes(n);
        } else if (n < 0) {
            onEnd.run();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        call.onBodyBytes(skipped);
        return skipped;
    }
}
