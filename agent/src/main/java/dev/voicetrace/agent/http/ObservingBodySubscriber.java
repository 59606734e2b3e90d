package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.InFlightCall;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Sits between the HTTP client and the application's body subscriber. It copies a JSON body
 * (bounded), counts the bytes of any other body (audio) and notes when the first one arrived,
 * and ends the call when the body is complete, failed, or cancelled by the application (an
 * {@code InputStream} body closed before its end). Buffers are read through duplicates, so the
 * application's subscriber sees them untouched; whatever goes wrong here is swallowed.
 */
final class ObservingBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {

    private final HttpResponse.BodySubscriber<T> subscriber;
    private final InFlightCall call;
    private final HttpExchange exchange;

    ObservingBodySubscriber(HttpResponse.BodySubscriber<T> subscriber, InFlightCall call, HttpExchange exchange) {
        this.subscriber = subscriber;
        this.call = call;
        this.exchange = exchange;
    }

    @Override
    public CompletionStage<T> getBody() {
        return subscriber.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                subscription.request(n);
            }

            @Override
            public void cancel() {
                subscription.cancel();
                try {
                    call.complete(true);
                } catch (RuntimeException ignored) {
                    // never the application's concern
                }
            }
        });
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        try {
            observe(items);
        } catch (RuntimeException ignored) {
            // the application's subscriber gets the items regardless
        }
        subscriber.onNext(items);
    }

    private void observe(List<ByteBuffer> items) {
        if (exchange.copiesBody()) {
            for (ByteBuffer item : items) {
                int length = item.remaining();
                if (length == 0) {
                    continue;
                }
                if (item.hasArray()) {
                    exchange.onJsonBytes(item.array(), item.arrayOffset() + item.position(), length);
                } else {
                    byte[] copy = new byte[length];
                    item.duplicate().get(copy);
                    exchange.onJsonBytes(copy, 0, length);
                }
            }
            return;
        }
        long count = 0;
        for (ByteBuffer item : items) {
            count += item.remaining();
        }
        if (count > 0) {
            exchange.onOtherBytes(count);
            call.onBodyBytes(count);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        subscriber.onError(throwable);
        try {
            call.fail(throwable);
        } catch (RuntimeException ignored) {
            // never the application's concern
        }
    }

    @Override
    public void onComplete() {
        subscriber.onComplete();
        try {
            call.complete(false);
        } catch (RuntimeException ignored) {
            // never the application's concern
        }
    }
}
