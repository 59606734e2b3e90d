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
    /** Whether the advice passes the receiver ({@code this}) as the only argument. */
    final boolean receiver;

    private Interception(ElementMatcher<MethodDescription> methods, String operationKey, boolean receiver) {
        this.methods = methods;
        this.operationKey = operationKey;
        this.receiver = receiver;
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
     * Instance methods whose calls are registered under {@code operationKey} and whose call's
     * arguments are the receiver alone: for a result object of an earlier call (a stream, say)
     * whose methods report how the application consumes it.
     */
    public static Interception byReceiverKey(ElementMatcher<MethodDescription> methods, String operationKey) {
        return new Interception(methods, operationKey, true);
    }
}
