package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.CompletedCall;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * A finished HTTP client call as provider extractors read it, whatever the client library:
 * the request's method, URI, content type, body size and (when it can be read without side
 * effects) body, and what the response delivered. Built on the agent's processing thread.
 */
public final class HttpCall {

    public final String method;
    public final URI uri;
    public final String requestContentType;
    /** -1 when unknown. */
    public final long requestContentLength;
    /** Null when the body could not be read without side effects, or there was none. */
    public final byte[] requestBody;
    public final HttpExchange response;

    /** Which client made the call, e.g. {@code java.net.http} or {@code okhttp}. */
    public String client() {
        return response.client();
    }

    private HttpCall(String method, URI uri, String requestContentType, long requestContentLength, byte[] requestBody,
                     HttpExchange response) {
        this.method = method;
        this.uri = uri;
        this.requestContentType = requestContentType;
        this.requestContentLength = requestContentLength;
        this.requestBody = requestBody;
        this.response = response;
    }

    /** Reads a finished call of whichever client made it. */
    public static HttpCall of(CompletedCall call) throws InterruptedException, ReflectiveOperationException {
        HttpExchange exchange = (HttpExchange) call.response();
        if (exchange != null && OkHttpCalls.CLIENT.equals(exchange.client())) {
            return OkHttpCalls.describe(call, exchange);
        }
        return ofJdk(call);
    }

    /** Reads a call of the JDK's {@code java.net.http} client. */
    private static HttpCall ofJdk(CompletedCall call) throws InterruptedException {
        HttpRequest request = JdkHttpClientCalls.request(call);
        HttpExchange exchange = JdkHttpClientCalls.exchange(call);
        return new HttpCall(request.method(), request.uri(),
                request.headers().firstValue("Content-Type").orElse(null),
                JdkRequestBodies.contentLength(request), JdkRequestBodies.replayableBody(request),
                exchange == null ? new HttpExchange() : exchange);
    }

    /** For tests and other clients. */
    public static HttpCall of(String method, URI uri, String requestContentType, long requestContentLength,
                              byte[] requestBody, HttpExchange response) {
        return new HttpCall(method, uri, requestContentType, requestContentLength, requestBody, response);
    }
}
