package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.http.JdkHttpClientCalls;
import dev.voicetrace.agent.http.OkHttpCalls;
import dev.voicetrace.bootstrap.ClientCallListener;
import dev.voicetrace.bootstrap.TraceContext;
import dev.voicetrace.bootstrap.TracePropagation;
import java.net.http.HttpRequest;

/**
 * Adds trace context to the outgoing HTTP calls the agent intercepts anyway (the JDK client's and
 * OkHttp's, whatever the host), then hands every call on to the tracking listener. A thread
 * without a context pays one thread-local read.
 */
public final class PropagatingCallListener implements ClientCallListener {

    private final ClientCallListener delegate;

    public PropagatingCallListener(ClientCallListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object onEnter(String operation, Object receiver, Object request) {
        return delegate.onEnter(operation, receiver, request);
    }

    @Override
    public Object onEnterCall(String operationKey, Object receiver, Object[] arguments) {
        if (TracePropagation.isOutgoingEnabled() && TraceContext.current() != null) {
            try {
                if (JdkHttpClientCalls.KEY.equals(operationKey) && arguments.length > 0
                        && arguments[0] instanceof HttpRequest) {
                    arguments[0] = JdkTraceHeaders.decorate((HttpRequest) arguments[0]);
                } else if (OkHttpCalls.KEY.equals(operationKey) && receiver != null) {
                    // OkHttp's call object holds the request it is about to send.
                    OkHttpTraceHeaders.decorate(receiver);
                }
            } catch (Exception | LinkageError e) {
                // The request leaves as the application made it.
            }
        }
        return delegate.onEnterCall(operationKey, receiver, arguments);
    }

    @Override
    public Object onExit(Object handle, Object result, Throwable thrown) {
        return delegate.onExit(handle, result, thrown);
    }
}
