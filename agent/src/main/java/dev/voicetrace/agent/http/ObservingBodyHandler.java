package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.InFlightCall;
import java.net.http.HttpResponse;

/**
 * Stands in for the application's body handler in a traced {@code java.net.http} call: the
 * application's handler still decides what the body becomes ({@code String}, {@code byte[]},
 * {@code InputStream}, ...); this one notes the status and headers and puts an observing
 * subscriber in front of the application's subscriber.
 */
final class ObservingBodyHandler<T> implements HttpResponse.BodyHandler<T> {

    private final HttpResponse.BodyHandler<T> handler;
    private final InFlightCall call;
    private final HttpExchange exchange;

    ObservingBodyHandler(HttpResponse.BodyHandler<T> handler, InFlightCall call, HttpExchange exchange) {
        this.handler = handler;
        this.call = call;
        this.exchange = exchange;
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        try {
            exchange.onHeaders(info.statusCode(), info.headers().map());
        } catch (RuntimeException ignored) {
            // The call is still made as the application asked.
        }
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
        if (subscriber == null) {
            return null;
        }
        return new ObservingBodySubscriber<>(subscriber, call, exchange);
    }
}
