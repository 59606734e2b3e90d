package dev.voicetrace.agent.http.okhttp;

import dev.voicetrace.bootstrap.OkHttpCallView;
import dev.voicetrace.bootstrap.TracePropagation;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * {@link OkHttpCallView} by plain calls to OkHttp.
 *
 * <p>Compiled against OkHttp but never loaded by the agent's own class loader, which has no
 * OkHttp: {@code OkHttpSide} defines it from its class file in a loader of its own whose parent
 * is the loader of the application's OkHttp. This runs on the application's thread in every OkHttp
 * call; compiled with the call's own code, it costs what the same lines in the application would,
 * where calls through reflection or method handles kept their dispatch.
 */
public final class DirectOkHttpCallView implements OkHttpCallView {

    @Override
    public String host(Object call) {
        return ((Call) call).request().url().host();
    }

    @Override
    public int port(Object call) {
        return ((Call) call).request().url().port();
    }

    @Override
    public String method(Object call) {
        return ((Call) call).request().method();
    }

    @Override
    public String encodedPath(Object call) {
        return ((Call) call).request().url().encodedPath();
    }

    @Override
    public Object tracedRequest(Object call) {
        Request request = ((Call) call).request();
        HttpUrl url = request.url();
        String host = url.host();
        int port = url.port();
        if (!TracePropagation.sendsTo(host, port)) {
            return null;
        }
        String[] added = TracePropagation.outgoingHeaders(host, port,
                request.header(TracePropagation.TRACEPARENT),
                request.header(TracePropagation.TRACESTATE) != null,
                request.header(TracePropagation.BAGGAGE) != null);
        if (added == null) {
            return null;
        }
        Request.Builder builder = request.newBuilder();
        for (int i = 0; i + 1 < added.length; i += 2) {
            builder.addHeader(added[i], added[i + 1]);
        }
        return builder.build();
    }
}
