package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TracePropagation;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * Trace context on requests of the JDK's {@code java.net.http.HttpClient}. Its requests are
 * immutable, so a request that gets headers is replaced by a copy with every property of the
 * original (method, body publisher, headers, timeout, version, expect-continue) and the added headers.
 */
final class JdkTraceHeaders {

    private JdkTraceHeaders() {}

    /** The request with trace context added, or the same request when nothing is to be added. */
    static HttpRequest decorate(HttpRequest request) {
        URI uri = request.uri();
        if (!TracePropagation.sendsTo(uri.getHost(), uri.getPort())) {
            return request;
        }
        HttpHeaders headers = request.headers();
        String[] added = TracePropagation.outgoingHeaders(uri.getHost(), uri.getPort(),
                headers.firstValue(TracePropagation.TRACEPARENT).orElse(null),
                headers.firstValue(TracePropagation.TRACESTATE).isPresent(),
                headers.firstValue(TracePropagation.BAGGAGE).isPresent());
        if (added == null) {
            return request;
        }
        HttpRequest.Builder copy = HttpRequest.newBuilder(uri)
                .method(request.method(), request.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()))
                .expectContinue(request.expectContinue());
        request.timeout().ifPresent(copy::timeout);
        request.version().ifPresent(copy::version);
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            for (String value : header.getValue()) {
                copy.header(header.getKey(), value);
            }
        }
        for (int i = 0; i + 1 < added.length; i += 2) {
            copy.header(added[i], added[i + 1]);
        }
        return copy.build();
    }
}
