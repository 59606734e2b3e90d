package dev.voicetrace.bootstrap;

import java.nio.ByteBuffer;

/**
 * Static entry points for advice on WebSocket clients' send methods. The advice passes the
 * socket's observer slot (the listener field of the client's socket object); only an agent
 * observer there is told about the frame. Every method swallows whatever goes wrong.
 */
public final class SocketHooks {

    private SocketHooks() {}

    public static void sendText(Object observer, CharSequence text, boolean last) {
        if (observer instanceof SocketFrames && text != null) {
            try {
                ((SocketFrames) observer).onSendText(text, last);
            } catch (Throwable ignored) {
                // the application's send goes ahead untouched
            }
        }
    }

    public static void sendBinary(Object observer, ByteBuffer data) {
        if (observer instanceof SocketFrames && data != null) {
            try {
                ((SocketFrames) observer).onSendBinary(data);
            } catch (Throwable ignored) {
                // the application's send goes ahead untouched
            }
        }
    }

    public static void sendClose(Object observer, boolean abort) {
        if (observer instanceof SocketFrames) {
            try {
                ((SocketFrames) observer).onSendClose(abort);
            } catch (Throwable ignored) {
                // the application's close goes ahead untouched
            }
        }
    }
}
