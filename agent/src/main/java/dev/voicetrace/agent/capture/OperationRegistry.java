package dev.voicetrace.agent.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which intercepted calls the agent understands, keyed by the request type's name and the method
 * name, or by an operation key that an instrumentation bound to the method (keys contain no
 * {@code #}, so the two never collide). Provider modules register their operations at start-up; lookups happen per call.
 */
public final class OperationRegistry {

    private final Map<String, OperationSpec> specs = new ConcurrentHashMap<>();

    public void register(String requestType, String method, OperationSpec spec) {
        specs.put(key(requestType, method), spec);
    }

    /** Registers the calls an instrumentation intercepts under an operation key. */
    public void registerKey(String operationKey, OperationSpec spec) {
        specs.put(operationKey, spec);
    }

    public OperationSpec lookupKey(String operationKey) {
        return specs.get(operationKey);
    }

    public OperationSpec lookup(String requestType, String method) {
        return specs.get(key(requestType, method));
    }

    private static String key(String requestType, String method) {
        return requestType + '#' + method;
    }
}
