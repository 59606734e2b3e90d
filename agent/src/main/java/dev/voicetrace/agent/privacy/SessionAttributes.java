package dev.voicetrace.agent.privacy;

import dev.voicetrace.agent.model.StageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user id and call metadata last seen in each session, so that every trace of the session
 * carries them, also a turn whose calls were linked by text from a thread without the context.
 * Bounded: the least recently used sessions are forgotten first. Processing thread only.
 */
public final class SessionAttributes {

    private static final class Known {
        String userId;
        final Map<String, String> metadata = new LinkedHashMap<>();
    }

    private final Map<String, Known> sessions;

    public SessionAttributes(int maxSessions) {
        int limit = Math.max(1, maxSessions);
        this.sessions = new LinkedHashMap<String, Known>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > limit;
            }
        };
    }

    /**
     * Remembers what the record carries for its (final) session and gives it what the session is
     * known to have and it lacks.
     */
    public void fill(StageRecord record, String sessionId) {
        if (sessionId == null) {
            return;
        }
        Known known = sessions.get(sessionId);
        if (record.userId == null && record.traceMetadata.isEmpty() && known == null) {
            return;
        }
        if (known == null) {
            known = new Known();
            sessions.put(sessionId, known);
        }
        if (record.userId != null) {
            known.userId = record.userId;
        } else {
            record.userId = known.userId;
        }
        known.metadata.putAll(record.traceMetadata);
        for (Map.Entry<String, String> entry : known.metadata.entrySet()) {
            record.traceMetadata.putIfAbsent(entry.getKey(), entry.getValue());
        }
    }
}
