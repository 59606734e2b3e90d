package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.METHOD_NAME;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.THROWN;
import static dev.voicetrace.agent.instrument.weave.Value.argument;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.VoicetraceHooks;

/**
 * Woven into an intercepted client method whose first argument is the request. It records a
 * reference to the request and to the service it is called on (which holds the client's options,
 * such as its base URL), and a timestamp on entry, and lets the agent wrap the result on exit.
 */
public final class ClientCallAdvice {

    private ClientCallAdvice() {}

    public static final Advice ADVICE = Advice.onEnter(VoicetraceHooks.class, "enter", METHOD_NAME, THIS, argument(0))
            .andOnExit(VoicetraceHooks.class, "exit", ENTERED, RETURNED, THROWN)
            .alsoOnThrowable().exitOnlyWhenEntered().replacingReturn();
}
