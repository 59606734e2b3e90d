package dev.voicetrace.agent.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a {@code java.net.http} request sent, on the agent's processing thread. A body
 * publisher has no public accessor for its content, but the JDK's own publishers of a string or
 * a byte array ({@code BodyPublishers.ofString}, {@code ofByteArray}) are replayable without side
 * effects: every subscription reads the same array again (the client itself resubscribes on
 * redirects and retries). Only those are subscribed to; any other publisher (a file, an input
 * stream supplier, an application's own) is never touched, and its content stays unknown.
 */
public final class JdkRequestBodies {

    /** Larger bodies are not read. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private static final String BYTE_ARRAY_PUBLISHER = "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher";
    private static final String STRING_PUBLISHER = "jdk.internal.net.http.RequestPublishers$StringPublisher";

    private JdkRequestBodies() {}

    /** The body's length in bytes as the publisher declares it, -1 when unknown or there is no body. */
    public static long contentLength(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        return publisher.isPresent() ? publisher.get().contentLength() : -1;
    }

    /** The body's bytes when its publisher is one of the JDK's replayable array publishers, else null. */
    public static byte[] replayableBody(HttpRequest request) throws InterruptedException {
        Optional<HttpRequest.BodyPublisher> found = request.bodyPublisher();
        if (!found.isPresent()) {
            return null;
        }
        HttpRequest.BodyPublisher publisher = found.get();
        String type = publisher.getClass().getName();
        if (!type.equals(BYTE_ARRAY_PUBLISHER) && !type.equals(STRING_PUBLISHER)) {
            return null;
        }
        long length = publisher.contentLength();
        if (length < 0 || length > MAX_BODY_BYTES) {
            return null;
        }
        Collector collector = new Collector();
        publisher.subscribe(collector);
        // The JDK's array publishers deliver on the subscribing thread; the wait is a safeguard.
        if (!collector.done.await(1, TimeUnit.SECONDS) || collector.failed) {
            return null;
        }
        return collector.bytes.toByteArray();
    }

    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean failed;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer item) {
            byte[] chunk = new byte[item.remaining()];
            item.duplicate().get(chunk);
            synchronized (bytes) {
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            failed = true;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }
}
