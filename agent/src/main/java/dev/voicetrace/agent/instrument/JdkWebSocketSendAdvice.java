package dev.voicetrace.agent.instrument;

import dev.voicetrace.bootstrap.SocketHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the JDK's {@code jdk.internal.net.http.websocket.WebSocketImpl} send methods: the
 * socket's listener field is the agent's observer only for a recognised vendor socket, so any
 * other socket costs a type check per frame. Whatever reference the application sends through
 * (the one {@code buildAsync} gave, the one a send's future completes with) is the same object.
 */
public final class JdkWebSocketSendAdvice {

    private JdkWebSocketSendAdvice() {}

    /** {@code sendText(CharSequence, boolean)}. */
    public static final class Text {
        private Text() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("listener") Object listener, @Advice.Argument(0) CharSequence data,
                                 @Advice.Argument(1) boolean last) {
            SocketHooks.sendText(listener, data, last);
        }
    }

    /** {@code sendBinary(ByteBuffer, boolean)}: counted before the send consumes the buffer. */
    public static final class Binary {
        private Binary() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("listener") Object listener,
                                 @Advice.Argument(0) java.nio.ByteBuffer data) {
            SocketHooks.sendBinary(listener, data);
        }
    }

    /** {@code abort()}. */
    public static final class Abort {
        private Abort() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("listener") Object listener) {
            SocketHooks.sendClose(listener, true);
        }
    }
}
