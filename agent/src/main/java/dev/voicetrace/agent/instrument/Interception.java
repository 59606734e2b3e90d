package dev.voicetrace.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which methods of an instrumented type are intercepted, and how the agent recognises their
 * calls: either by the type of the first argument (a request object; one advice then serves a
 * whole generated SDK), or by an operation key bound to the methods (all arguments are passed).
 */
public final class Interception {

    final ElementMatcher<MethodDescription> methods;
    /** Null when calls are recognised by their request type. */
    final String operationKey;
    /** Whether the call is described by the method's receiver instead of its arguments. */
    final boolean byReceiver;

    private Interception(ElementMatcher<MethodDescription> methods, String operationKey, boolean byReceiver) {
        this.methods = methods;
        this.operationKey = operationKey;
        this.byReceiver = byReceiver;
    }

    /** Methods whose first argument is the request; the registry knows the request types. */
    public static Interception byRequestType(ElementMatcher<MethodDescription> methods) {
        return new Interception(methods, null, false);
    }

    /** Methods whose calls are registered under {@code operationKey}. */
    public static Interception byKey(ElementMatcher<MethodDescription> methods, String operationKey) {
        return new Interception(methods, operationKey, false);
    }

    /**
     * Instance methods whose calls are registered under {@code operationKey} and described by
     * their receiver: the registry sees a one-element array holding {@code this}.
     */
    public static Interception byKeyOnReceiver(ElementMatcher<MethodDescription> methods, String operationKey) {
        return new Interception(methods, operationKey, true);
    }
}
