package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@code java.net.http.HttpClient} calls, intercepted where every {@code send} and
 * {@code sendAsync} of the JDK's client ends up (its arguments: request, body handler, push
 * promise handler, executor). Calls are recognised by the request's host and path; a recognised
 * call gets an observing body handler in place of the application's. Classes of
 * {@code java.net.http} are only touched once the JDK's client made a call.
 */
public final class JdkHttpClientCalls {

    /** The operation key the instrumentation binds to the intercepted method. */
    public static final String KEY = "java.net.http.HttpClient.send";
    static final String CLIENT = "java.net.http";

    private JdkHttpClientCalls() {}

    /** Routes the JDK client's calls through {@code endpoints}. */
    public static void register(OperationRegistry registry, HttpEndpoints endpoints) {
        registry.registerRouter(KEY, (client, arguments) -> route(endpoints, arguments));
    }

    private static OperationSpec route(HttpEndpoints endpoints, Object[] arguments) {
        if (arguments.length < 2 || !(arguments[0] instanceof HttpRequest)) {
            return null;
        }
        try {
            HttpRequest request = (HttpRequest) arguments[0];
            URI uri = request.uri();
            return endpoints.match(uri.getHost(), uri.getPort(), request.method(), uri.getRawPath());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The observer every HTTP endpoint spec of the JDK client uses. */
    public static final CallObserver OBSERVER = new CallObserver() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void onArguments(InFlightCall call, Object[] arguments) {
            HttpExchange exchange = new HttpExchange(CLIENT);
            call.onResponse(exchange);
            if (arguments[1] instanceof HttpResponse.BodyHandler) {
                arguments[1] = new ObservingBodyHandler((HttpResponse.BodyHandler) arguments[1], call, exchange);
            }
        }

        @Override
        public Object onResult(InFlightCall call, Object result) {
            if (result instanceof CompletableFuture) {
                // A dependent stage only notes a failure; the application keeps its own future.
                ((CompletableFuture<?>) result).whenComplete((response, thrown) -> {
                    if (thrown != null) {
                        call.fail(thrown);
                    }
                });
            } else {
                call.complete(false);
            }
            return result;
        }
    };

    /** The request of a finished JDK client call. */
    public static HttpRequest request(CompletedCall call) {
        return (HttpRequest) call.request();
    }

    /** What the response delivered. */
    public static HttpExchange exchange(CompletedCall call) {
        return (HttpExchange) call.response();
    }

}
