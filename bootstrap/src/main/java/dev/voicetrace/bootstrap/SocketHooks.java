package dev.voicetrace.bootstrap;

import java.nio.ByteBuffer;

/**
 * Static entry points for advice on WebSocket clients' send methods. The advice passes the
 * socket's observer slot (the listener field of the client's socket object); only an agent
 * observer there is told about the frame. Every method swallows whatever goes wrong.
 */
public final class SocketHooks {

    /**
     * Sockets of clients whose socket objects cannot carry the agent's observer (OkHttp's
     * {@code RealWebSocket} keeps the application's listener, an abstract class), by identity.
     */
    private static final IdentityTable<SocketFrames> OBSERVED = new IdentityTable<>();

    private SocketHooks() {}

    /** Tells the hooks below that {@code socket}'s frames go to {@code frames}. */
    public static void observe(Object socket, SocketFrames frames) {
        OBSERVED.put(socket, frames);
    }

    /** Forgets an ended socket. */
    public static void forget(Object socket) {
        OBSERVED.remove(socket);
    }

    /** The observer of a socket seen through {@link #observe}, or null: with no such socket open, one volatile read. */
    private static SocketFrames observerOf(Object socket) {
        return OBSERVED.isEmpty() ? null : OBSERVED.get(socket);
    }

    /** A frame sent through {@code socket}. */
    public static void sent(Object socket, Object payload) {
        SocketFrames frames = observerOf(socket);
        if (frames != null && payload != null) {
            try {
                frames.onSend(payload);
            } catch (Throwable ignored) {
                // the application's send goes ahead untouched
            }
        }
    }

    /** A whole frame received on {@code socket}, before the application's listener sees it. */
    public static void received(Object socket, Object payload) {
        SocketFrames frames = observerOf(socket);
        if (frames != null && payload != null) {
            try {
                frames.onReceived(payload);
            } catch (Throwable ignored) {
                // the application's listener sees the frame regardless
            }
        }
    }

    public static void closed(Object socket, int code) {
        SocketFrames frames = observerOf(socket);
        if (frames != null) {
            try {
                frames.onClosed(code);
            } catch (Throwable ignored) {
                // the application's listener sees the close regardless
            }
        }
    }

    public static void failed(Object socket, Throwable error) {
        SocketFrames frames = observerOf(socket);
        if (frames != null) {
            try {
                frames.onFailed(error);
            } catch (Throwable ignored) {
                // the application's listener sees the failure regardless
            }
        }
    }

    public static void cancelled(Object socket) {
        SocketFrames frames = observerOf(socket);
        if (frames != null) {
            try {
                frames.onSendClose(true);
            } catch (Throwable ignored) {
                // the application's cancel goes ahead untouched
            }
        }
    }

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
