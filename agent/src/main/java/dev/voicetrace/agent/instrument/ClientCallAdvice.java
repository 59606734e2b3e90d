package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.VoicetraceHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an intercepted client method whose first argument is the request. It records a
 * reference to the request and to the service it is called on (which holds the client's options,
 * such as its base URL), and a timestamp on entry, and lets the agent wrap the result on exit; everything it
 * calls is on the bootstrap class path, and any failure inside it is suppressed.
 */
public final class ClientCallAdvice {

    private ClientCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Origin("#m") String method, @Advice.This(optional = true) Object self,
                               @Advice.Argument(0) Object request) {
        return VoicetraceHooks.enter(method, self, request);
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
