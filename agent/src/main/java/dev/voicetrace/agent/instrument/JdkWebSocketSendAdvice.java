package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Value.argument;
import static dev.voicetrace.agent.instrument.weave.Value.field;

import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.bootstrap.SocketHooks;

/**
 * Woven into the JDK's {@code jdk.internal.net.http.websocket.WebSocketImpl} send methods: the
 * socket's listener field is the agent's observer only for a recognised vendor socket, so any
 * other socket costs a type check per frame. Whatever reference the application sends through
 * (the one {@code buildAsync} gave, the one a send's future completes with) is the same object.
 */
final class JdkWebSocketSendAdvice {

    private JdkWebSocketSendAdvice() {}

    /** {@code sendText(CharSequence, boolean)}. */
    static final Advice TEXT = Advice.onEnter(SocketHooks.class, "sendText", field("listener"), argument(0),
            argument(1));

    /** {@code sendBinary(ByteBuffer, boolean)}: counted before the send consumes the buffer. */
    static final Advice BINARY = Advice.onEnter(SocketHooks.class, "sendBinary", field("listener"), argument(0));

    /** {@code abort()}. */
    static final Advice ABORT = Advice.onEnter(SocketHooks.class, "aborted", field("listener"));
}
