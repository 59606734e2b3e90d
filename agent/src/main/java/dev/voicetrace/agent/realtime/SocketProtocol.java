package dev.voicetrace.agent.realtime;

/**
 * One vendor's real-time WebSocket protocol: which sockets are its own (by path, on the hosts
 * configured for the vendor), a cheap look at each text frame on the application's thread, and
 * a state machine per socket that turns the frames worth keeping into stage records on the
 * agent's processing thread.
 */
public interface SocketProtocol {

    /** What a text frame is, decided without parsing it. */
    enum Frame {
        /** Not needed: counted only. */
        SKIP,
        /** Carries audio as base64 in {@link #audioField}: its bytes and first arrival are counted, nothing kept. */
        AUDIO,
        /**
         * Output the vendor streams (a text delta, an interim result): counted, and its first
         * arrival since the previous kept event noted; never kept.
         */
        OUTPUT_MARK,
        /** Kept (copied) and parsed on the processing thread. */
        EVENT,
        /**
         * Like {@link #EVENT}, and it ends the caller's utterance: a new turn anchor is set in the
         * receiving thread's context before the application sees the frame, so that the calls its
         * listener makes (on whatever thread) join the turn.
         */
        TURN_EVENT,
        /**
         * Like {@link #TURN_EVENT} for a vendor's separate end-of-utterance signal (Deepgram's
         * {@code UtteranceEnd}): straight after a {@link #TURN_EVENT} (no other frame received in
         * between) it confirms that utterance's end and stays in its turn; otherwise it ends one of
         * its own.
         */
        UTTERANCE_END
    }

    /** The provider name records carry, e.g. {@code openai}. */
    String provider();

    /** Whether a socket opened to {@code path} (raw, no query) on one of the vendor's hosts is this protocol's. */
    boolean matchesPath(String path);

    /**
     * Classifies a text frame (or the first part of one) on the application's thread: a bounded
     * look at its start, no allocation, no parsing.
     *
     * @param sent true for a frame the application sends, false for one it receives
     */
    Frame classify(CharSequence text, boolean sent);

    /**
     * The protocol as one socket's frames are classified: a protocol whose frames read
     * differently by the socket's options (AssemblyAI's {@code format_turns}) gives a configured
     * copy; made once when the socket opens.
     */
    default SocketProtocol forSocket(java.util.Map<String, String> query) {
        return this;
    }

    /** The JSON field whose string value is base64 audio in frames classified {@link Frame#AUDIO}. */
    String audioField(boolean sent);

    /** A state machine for one socket; made and used on the processing thread only. */
    SocketConversation newConversation(SocketInfo socket);
}
