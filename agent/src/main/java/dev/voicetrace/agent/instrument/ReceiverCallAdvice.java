package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.VoicetraceHooks;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an instance method of a library's result object (a response stream's
 * {@code iterator()} or {@code close()}): it hands the agent the receiver as the call's only
 * argument, so that the agent can tie the method to the earlier call that produced the object,
 * and lets the agent replace the result. Every failure inside is suppressed.
 */
public final class ReceiverCallAdvice {

    private ReceiverCallAdvice() {}

    /** The operation key of the intercepted method, a constant bound per instrumentation. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface OperationKey {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@OperationKey String key, @Advice.This Object self) {
        return VoicetraceHooks.enterCall(key, new Object[] {self});
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
