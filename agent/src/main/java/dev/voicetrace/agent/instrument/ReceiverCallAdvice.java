package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.VoicetraceHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an intercepted instance method whose call is described by its receiver rather
 * than by its arguments: an HTTP client's call object, or a library's result object (a response
 * stream's {@code iterator()} or {@code close()}) that the agent ties to the call that produced it. The agent gets the receiver as the
 * only element of the arguments array, under the operation key bound per instrumentation, and
 * may wrap the result on exit. Every failure inside is suppressed.
 */
public final class ReceiverCallAdvice {

    private ReceiverCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@KeyedCallAdvice.OperationKey String key, @Advice.This Object self) {
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
