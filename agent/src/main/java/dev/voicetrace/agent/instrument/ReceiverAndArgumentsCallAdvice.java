package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.VoicetraceHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an intercepted instance method whose call is described by its receiver and its
 * arguments together: the agent gets {@code this} followed by the arguments, under the operation
 * key bound per instrumentation, and may wrap the result on exit. The arguments are read, never
 * replaced. Every failure inside is suppressed.
 */
public final class ReceiverAndArgumentsCallAdvice {

    private ReceiverAndArgumentsCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@KeyedCallAdvice.OperationKey String key, @Advice.This Object self,
                               @Advice.AllArguments Object[] arguments) {
        Object[] withReceiver = new Object[arguments.length + 1];
        withReceiver[0] = self;
        System.arraycopy(arguments, 0, withReceiver, 1, arguments.length);
        return VoicetraceHooks.enterCall(key, withReceiver);
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
