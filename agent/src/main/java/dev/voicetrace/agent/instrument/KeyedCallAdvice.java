package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an intercepted method that an instrumentation names by an operation key (bound
 * to {@link OperationKey} when the advice is applied). It hands the agent the receiver (null for
 * a static method) and all arguments, which it may replace by observing wrappers (a streaming callback, say), and lets the agent wrap the
 * result on exit. Every failure inside is suppressed.
 */
public final class KeyedCallAdvice {

    private KeyedCallAdvice() {}

    /** The operation key of the intercepted method, a constant bound per instrumentation. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface OperationKey {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@OperationKey String key, @Advice.This(optional = true) Object self,
                               @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments) {
        Object[] observed = arguments;
        Object handle = VoicetraceHooks.enterCall(key, self, observed);
        // Assigning writes the (possibly replaced) elements back to the method's parameters: an
        // observing wrapper, or a request with trace context added (even when the call is not traced).
        arguments = observed;
        return handle;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object handle,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable thrown) {
        if (handle != null) {
            result = VoicetraceHooks.exit(handle, result, thrown);
        }
    }
}
