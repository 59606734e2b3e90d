package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Value.ALL_ARGUMENTS;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.THROWN;
import static dev.voicetrace.agent.instrument.weave.Value.constant;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.VoicetraceHooks;

/**
 * Woven into an intercepted method that an instrumentation names by an operation key. It hands
 * the agent the receiver (null for a static method) and all arguments, which it may replace by
 * observing wrappers (a streaming callback, say, or a request with trace context added, even when
 * the call is not traced): the array's elements are written back to the method's parameters. On
 * exit the agent may wrap the result.
 */
public final class KeyedCallAdvice {

    private KeyedCallAdvice() {}

    /** The advice for the methods registered under {@code operationKey}. */
    public static Advice forKey(String operationKey) {
        return Advice.onEnter(VoicetraceHooks.class, "enterCall", constant(operationKey), THIS, ALL_ARGUMENTS)
                .writingArgumentsBack()
                .andOnExit(VoicetraceHooks.class, "exit", ENTERED, RETURNED, THROWN)
                .alsoOnThrowable().exitOnlyWhenEntered().replacingReturn();
    }
}
