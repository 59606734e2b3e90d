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

    /** The socket was aborted by the application. */
    public static void aborted(Object observer) {
        sendClose(observer, true);
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

    // ---- clients whose socket is reached through several objects (the Jakarta WebSocket API) ----

    /** The recognised socket being connected on this thread, until its connect call returns. */
    private static final ThreadLocal<SocketFrames> CONNECTING = new ThreadLocal<>();

    /** A recognised socket's connect call starts ({@code frames} non-null) or returns (null) on this thread. */
    public static void connecting(SocketFrames frames) {
        if (frames == null) {
            CONNECTING.remove();
        } else {
            CONNECTING.set(frames);
        }
    }

    /**
     * An endpoint object was constructed: inside a recognised socket's connect call on this
     * thread it is that socket's (the container's wrapper of an annotated endpoint, say).
     */
    public static void endpointConstructed(Object endpoint) {
        SocketFrames frames = CONNECTING.get();
        if (frames != null && endpoint != null) {
            try {
                frames.observeAlso(endpoint);
            } catch (Throwable ignored) {
                // the application's endpoint is constructed regardless
            }
        }
    }

    /**
     * {@code other} speaks for the same socket as {@code known} (a session's remote endpoint, a
     * handler added to it, the session an endpoint opened): with no such socket open, one volatile read.
     */
    /** A handler added to a session ({@code addMessageHandler([Class,] handler)}): the last of the arguments. */
    public static void handlerAdded(Object session, Object[] arguments) {
        if (arguments != null && arguments.length > 0) {
            alias(session, arguments[arguments.length - 1]);
        }
    }

    public static void alias(Object known, Object other) {
        SocketFrames frames = observerOf(known);
        if (frames != null && other != null && OBSERVED.get(other) != frames) {
            try {
                frames.observeAlso(other);
            } catch (Throwable ignored) {
                // the application's call goes ahead untouched
            }
        }
    }

    /** A text or binary frame part sent through {@code socket} ({@code last} false for all but the final part). */
    public static void sentPart(Object socket, Object payload, boolean last) {
        SocketFrames frames = observerOf(socket);
        if (frames != null && payload != null) {
            try {
                if (payload instanceof CharSequence) {
                    frames.onSendText((CharSequence) payload, last);
                } else {
                    frames.onSend(payload);
                }
            } catch (Throwable ignored) {
                // the application's send goes ahead untouched
            }
        }
    }

    /** A whole message received by a handler of the socket. */
    public static void receivedWhole(Object handler, Object message) {
        receivedPart(handler, message, true);
    }

    /**
     * A message delivered to a handler of {@code socket}: text and binary payloads ({@code String},
     * {@code ByteBuffer}, {@code byte[]}) are observed; decoded objects, streams and pongs are not.
     */
    public static void receivedPart(Object socket, Object payload, boolean last) {
        SocketFrames frames = observerOf(socket);
        if (frames != null && payload != null) {
            try {
                if (payload instanceof CharSequence) {
                    frames.onReceivedText((CharSequence) payload, last);
                } else if (payload instanceof ByteBuffer || payload instanceof byte[]) {
                    frames.onReceived(payload);
                }
            } catch (Throwable ignored) {
                // the application's handler sees the message regardless
            }
        }
    }

    /** The socket closed with a close reason object whose {@code getCloseCode().getCode()} is the code. */
    public static void closedWithReason(Object socket, Object reason) {
        SocketFrames frames = observerOf(socket);
        if (frames != null) {
            try {
                frames.onClosed(closeCode(reason));
            } catch (Throwable ignored) {
                // the application's endpoint sees the close regardless
            }
        }
    }

    private static int closeCode(Object reason) {
        if (reason == null) {
            return -1;
        }
        try {
            Object code = reason.getClass().getMethod("getCloseCode").invoke(reason);
            java.lang.reflect.Method getCode = code.getClass().getMethod("getCode");
            getCode.setAccessible(true);
            return (Integer) getCode.invoke(code);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
