package dev.voicetrace.agent.privacy;

import dev.voicetrace.agent.model.StageRecord;
import java.util.List;

/**
 * The MDC keys whose values travel with a call's context besides the session id: first the user
 * id's key (or null), then the keys copied into trace metadata. The context holds their values in
 * the same order; this maps them onto the record.
 */
public final class CallAttributes {

    private final String[] keys;

    public CallAttributes(String userKey, List<String> metadataKeys) {
        keys = new String[metadataKeys.size() + 1];
        keys[0] = userKey;
        for (int i = 0; i < metadataKeys.size(); i++) {
            keys[i + 1] = metadataKeys.get(i);
        }
    }

    /** The keys, user id's first (null when no user key is configured). */
    public String[] keys() {
        return keys.clone();
    }

    /** Whether any key is configured at all. */
    public boolean isEmpty() {
        return keys.length == 1 && keys[0] == null;
    }

    public void copyTo(String[] values, StageRecord record) {
        if (values == null) {
            return;
        }
        if (keys[0] != null && values.length > 0 && values[0] != null) {
            record.userId = values[0];
        }
        for (int i = 1; i < keys.length && i < values.length; i++) {
            if (values[i] != null) {
                record.traceMetadata.put(keys[i], values[i]);
            }
        }
    }
}
