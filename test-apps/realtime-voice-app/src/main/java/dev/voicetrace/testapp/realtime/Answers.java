package dev.voicetrace.testapp.realtime;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answers a socket listener starts, handed to the thread that speaks the caller's turns, in the
 * order the utterances ended. A queue, not a future swapped per turn: the listener may see an
 * utterance end before the caller's thread starts waiting for it, and that answer must not be lost.
 */
public final class Answers<T> {
    private final BlockingQueue<CompletableFuture<T>> arrived = new LinkedBlockingQueue<>();

    public void started(CompletableFuture<T> answer) {
        arrived.add(answer);
    }

    public void failed(Throwable error) {
        arrived.add(CompletableFuture.failedFuture(error));
    }

    /** The next answer, waited for at most {@code seconds} to start and as long again to finish. */
    public T next(long seconds) throws Exception {
        CompletableFuture<T> answer = arrived.poll(seconds, TimeUnit.SECONDS);
        if (answer == null) {
            throw new TimeoutException("no utterance ended within " + seconds + " s");
        }
        return answer.get(seconds, TimeUnit.SECONDS);
    }
}
