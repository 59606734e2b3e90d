package dev.voicetrace.agent.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which intercepted calls the agent understands, keyed by the request type's name and the method
 * name, or by an operation key that an instrumentation bound to the method (keys contain no
 * {@code #}, so the two never collide). Provider modules register their operations at start-up;
 * lookups happen per call.
 */
public final class OperationRegistry {

    private final Map<String, OperationSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, CallRouter> routers = new ConcurrentHashMap<>();

    /**
     * Decides per call what a keyed call is, from its receiver and arguments (an HTTP client call
     * by the request's host and path, say). Runs on the application thread for every call under its key,
     * so it must be cheap and must not throw; null means the call is not traced.
     */
    public interface CallRouter {
        OperationSpec route(Object receiver, Object[] arguments);
    }

    public void register(String requestType, String method, OperationSpec spec) {
        specs.put(key(requestType, method), spec);
    }

    /** Registers the calls an instrumentation intercepts under an operation key. */
    public void registerKey(String operationKey, OperationSpec spec) {
        specs.put(operationKey, spec);
    }

    /** Registers a router for the calls an instrumentation intercepts under an operation key. */
    public void registerRouter(String operationKey, CallRouter router) {
        routers.put(operationKey, router);
    }

    /** The spec of a keyed call: the key's own spec, else what the key's router makes of the arguments. */
    public OperationSpec lookupCall(String operationKey, Object receiver, Object[] arguments) {
        OperationSpec spec = specs.get(operationKey);
        if (spec != null) {
            return spec;
        }
        CallRouter router = routers.get(operationKey);
        return router == null ? null : router.route(receiver, arguments);
    }

    public OperationSpec lookup(String requestType, String method) {
        return specs.get(key(requestType, method));
    }

    private static String key(String requestType, String method) {
        return requestType + '#' + method;
    }
}
