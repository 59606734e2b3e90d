package dev.voicetrace.agent.realtime;

import dev.voicetrace.bootstrap.TurnIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids fixed for the turns that sockets' utterances open, by turn anchor: made on the client's
 * receiving thread when an utterance ends (they may leave with the application's requests at
 * once), read on the processing thread when the socket's records of that turn are made. Only the
 * most recent turns are kept: a socket's records follow its utterance within seconds.
 */
final class SocketTurns {

    private static final int KEPT = 4096;

    private static final Map<Long, TurnIdentity> BY_ANCHOR = new LinkedHashMap<Long, TurnIdentity>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TurnIdentity> eldest) {
            return size() > KEPT;
        }
    };

    private SocketTurns() {}

    static void remember(long anchor, TurnIdentity turn) {
        if (anchor == 0 || turn == null) {
            return;
        }
        synchronized (BY_ANCHOR) {
            BY_ANCHOR.put(anchor, turn);
        }
    }

    /** The ids of the turn {@code anchor} opened, or null when none were fixed. */
    static TurnIdentity of(long anchor) {
        if (anchor == 0) {
            return null;
        }
        synchronized (BY_ANCHOR) {
            return BY_ANCHOR.get(anchor);
        }
    }
}
