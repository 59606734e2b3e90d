package dev.voicetrace.agent.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which intercepted calls the agent understands, keyed by the request type's name and the method
 * name. Provider modules register their operations at start-up; lookups happen per call.
 */
public final class OperationRegistry {

    private final Map<String, OperationSpec> specs = new ConcurrentHashMap<>();

    public void register(String requestType, String method, OperationSpec spec) {
        specs.put(key(requestType, method), spec);
    }

    public OperationSpec lookup(String requestType, String method) {
        return specs.get(key(requestType, method));
    }

    private static String key(String requestType, String method) {
        return requestType + '#' + method;
    }
}
