package dev.voicetrace.bootstrap;

import java.nio.ByteBuffer;

/**
 * Implemented by the agent's observer of one recognised WebSocket. Advice woven into a
 * WebSocket client's send methods hands it each outgoing frame through {@link SocketHooks};
 * a socket the agent did not recognise has no such observer and costs a type check per frame.
 * Implementations only count and keep references: they never copy audio or parse JSON here.
 */
public interface SocketFrames {

    /** A text frame (or part of one, {@code last} false) the application sends. */
    void onSendText(CharSequence text, boolean last);

    /** A binary frame the application sends. */
    void onSendBinary(ByteBuffer data);

    /** The application closes its side or aborts the socket. */
    void onSendClose(boolean abort);

    /** A frame the application sends through a client whose payloads are its own types (OkHttp's {@code String} or {@code ByteString}). */
    void onSend(Object payload);

    /** A whole frame the application receives through such a client. */
    void onReceived(Object payload);

    /** The socket closed (the peer's close frame arrived). */
    void onClosed(int code);

    /** The socket failed (or was cancelled). */
    void onFailed(Throwable error);

    /** A text frame, or part of one ({@code last} false), the application receives through a client that delivers parts. */
    default void onReceivedText(CharSequence text, boolean last) {
        if (last) {
            onReceived(text);
        }
    }

    /**
     * Another object of the client's (a session's remote endpoint, a message handler registered
     * on it) speaks for the same socket: the hooks find this observer through it too.
     */
    default void observeAlso(Object handle) {}
}
