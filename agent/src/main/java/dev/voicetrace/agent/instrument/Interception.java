package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.MethodShape;

/**
 * Which methods of an instrumented type are intercepted, and how the agent recognises their
 * calls: either by the type of the first argument (a request object; one advice then serves a
 * whole generated SDK), or by an operation key bound to the methods (all arguments are passed).
 */
public final class Interception {

    final Matcher<MethodShape> methods;
    /** Null when calls are recognised by their request type. */
    final String operationKey;
    /** Advice of its own (a hook per frame rather than per call), or null. */
    final Advice advice;

    private Interception(Matcher<MethodShape> methods, String operationKey, Advice advice) {
        this.methods = methods;
        this.operationKey = operationKey;
        this.advice = advice;
    }

    /** Methods that get advice of their own, which calls the bootstrap hooks directly. */
    public static Interception withAdvice(Matcher<MethodShape> methods, Advice advice) {
        return new Interception(methods, null, advice);
    }

    /** Methods whose first argument is the request; the registry knows the request types. */
    public static Interception byRequestType(Matcher<MethodShape> methods) {
        return new Interception(methods, null, null);
    }

    /**
     * Methods whose calls are registered under {@code operationKey}: the registry sees the
     * receiver (null for a static method) and the arguments. For a library's methods that take
     * several arguments or a callback, an HTTP client's call object (described by its receiver),
     * or a result object of an earlier call (a stream) whose methods report how the application
     * consumes it.
     */
    public static Interception byKey(Matcher<MethodShape> methods, String operationKey) {
        return new Interception(methods, operationKey, null);
    }
}
