package dev.voicetrace.agent.awssdk;

import dev.voicetrace.agent.capture.InFlightCall;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The audio body as the application reads it: counts bytes (the first one is the time to first
 * audio byte), ends the call at the end of the stream, and marks it interrupted when the
 * application closes the stream before its end.
 */
public final class ObservedAudioStream extends FilterInputStream {

    private final InFlightCall call;
    private volatile boolean ended;

    public ObservedAudioStream(InputStream in, InFlightCall call) {
        super(in);
        this.call = call;
        call.onBodyOpened();
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
            end(false);
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
            end(false);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        call.onBodyBytes(skipped);
        return skipped;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            end(!ended);
        }
    }

    private void end(boolean early) {
        ended = true;
        call.complete(early);
    }
}
