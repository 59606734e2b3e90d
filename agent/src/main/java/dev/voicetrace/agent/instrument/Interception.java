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
    /** Whether the advice passes the receiver ({@code this}) followed by the arguments. */
    final boolean receiverFirst;
    /** An advice class of its own (a hook per frame rather than per call), or null. */
    final String adviceClass;

    private Interception(ElementMatcher<MethodDescription> methods, String operationKey, boolean receiver) {
        this(methods, operationKey, receiver, false, null);
    }

    private Interception(ElementMatcher<MethodDescription> methods, String operationKey, boolean receiver,
                         boolean receiverFirst, String adviceClass) {
        this.methods = methods;
        this.operationKey = operationKey;
        this.receiver = receiver;
        this.receiverFirst = receiverFirst;
        this.adviceClass = adviceClass;
    }

    /** Methods that get an advice class of their own, which calls the bootstrap hooks directly. */
    public static Interception withAdvice(ElementMatcher<MethodDescription> methods, Class<?> advice) {
        return new Interception(methods, null, false, false, advice.getName());
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
     * their receiver: the registry sees a one-element array holding {@code this}. For an HTTP
     * client's call object, or a result object of an earlier call (a stream) whose methods report
     * how the application consumes it.
     */
    public static Interception byReceiverKey(ElementMatcher<MethodDescription> methods, String operationKey) {
        return new Interception(methods, operationKey, true);
    }

    /**
     * Instance methods whose calls are registered under {@code operationKey} and described by
     * their receiver and their arguments together (a tool callback: its definition names the
     * tool, its argument is the input): the registry sees {@code this} followed by the arguments.
     */
    public static Interception byReceiverAndArgumentsKey(ElementMatcher<MethodDescription> methods,
                                                         String operationKey) {
        return new Interception(methods, operationKey, false, true, null);
    }
}
