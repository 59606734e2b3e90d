package dev.voicetrace.agent.awssdk;

import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.ObservingInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The audio body as the application reads it: counts bytes (the first one is the time to first
 * audio byte), ends the call at the end of the stream, and marks it interrupted when the
 * application closes the stream before its end.
 */
public final class ObservedAudioStream extends ObservingInputStream {

    private final CallEnd end;

    public ObservedAudioStream(InputStream in, InFlightCall call) {
        this(in, new CallEnd(call));
    }

    private ObservedAudioStream(InputStream in, CallEnd end) {
        super(in, end.call, end);
        this.end = end;
        end.call.onBodyOpened();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            end.closed();
        }
    }

    /** Completes the call when the stream ends, or as interrupted when it is closed first. */
    private static final class CallEnd implements Runnable {
        final InFlightCall call;
        private volatile boolean ended;

        CallEnd(InFlightCall call) {
            this.call = call;
        }

        @Override
        public void run() {
            ended = true;
            call.complete(false);
        }

        void closed() {
            boolean early = !ended;
            ended = true;
            call.complete(early);
        }
    }
}
