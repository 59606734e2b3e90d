package dev.voicetrace.agent.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which conversations said what: each transcript and reply (as a normalised text key) with the
 * turns that said it, a few per text. A model call's history (the earlier messages it sends) then
 * names the conversation it continues: the one session that said every distinctive text of it.
 *
 * <p>Texts said in many sessions ("yes, please") tell nothing and are skipped; bounded in the
 * number of texts (oldest go first) and in the turns kept per text. Not thread-safe: the linker's
 * thread owns it.
 */
final class ConversationIndex {

    /** Turns kept per text; a text said in more sessions than this is not distinctive. */
    static final int MAX_TURNS_PER_TEXT = 4;

    private final int maxTexts;
    private final Map<String, List<Turn>> turnsByText;

    /** The conversation a history continues, or why none can be named. */
    static final class Match {
        static final Match NONE = new Match(null, null);

        /** The session the history belongs to, or null. */
        final String sessionId;
        /** Why the history names no single conversation although it was heard before, or null. */
        final String ambiguous;

        Match(String sessionId, String ambiguous) {
            this.sessionId = sessionId;
            this.ambiguous = ambiguous;
        }
    }

    ConversationIndex(int maxTexts) {
        this.maxTexts = Math.max(1, maxTexts);
        this.turnsByText = new LinkedHashMap<String, List<Turn>>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Turn>> eldest) {
                return size() > ConversationIndex.this.maxTexts;
            }
        };
    }

    void add(String key, Turn turn) {
        if (key == null) {
            return;
        }
        List<Turn> turns = turnsByText.remove(key); // re-inserted at the young end
        if (turns == null) {
            turns = new ArrayList<>(2);
        }
        turns.remove(turn);
        turns.add(turn);
        if (turns.size() > MAX_TURNS_PER_TEXT) {
            turns.remove(0);
        }
        turnsByText.put(key, turns);
    }

    /**
     * The session a history continues, other than the session of {@code asking} (the turn the
     * call is in; null for a call not placed yet). The newest distinctive text names the
     * candidates (the conversation's latest session said it); older texts narrow them down while
     * they still agree, since earlier turns may sit in sessions of their own that were never joined.
     */
    Match match(List<String> history, Turn asking) {
        Set<String> candidates = null;
        boolean heardBefore = false;
        for (int i = history.size() - 1; i >= 0; i--) {
            List<Turn> turns = turnsByText.get(TextKey.of(history.get(i)));
            if (turns == null) {
                continue;
            }
            Set<String> sessions = new HashSet<>();
            for (Turn turn : turns) {
                if (asking == null || (turn != asking && !turn.sessionId.equals(asking.sessionId))) {
                    sessions.add(turn.sessionId);
                }
            }
            if (sessions.isEmpty()) {
                continue;
            }
            heardBefore = true;
            if (turns.size() >= MAX_TURNS_PER_TEXT && sessions.size() > 1) {
                continue; // said everywhere: tells nothing
            }
            if (candidates == null) {
                candidates = sessions;
            } else {
                Set<String> narrowed = new HashSet<>(candidates);
                narrowed.retainAll(sessions);
                if (narrowed.isEmpty()) {
                    break; // older turns lie in another session of the same conversation
                }
                candidates = narrowed;
            }
            if (candidates.size() == 1) {
                break;
            }
        }
        if (candidates == null) {
            return heardBefore ? new Match(null, "history heard in many conversations") : Match.NONE;
        }
        if (candidates.size() == 1) {
            return new Match(candidates.iterator().next(), null);
        }
        return new Match(null, "history matches " + candidates.size() + " conversations");
    }

    int size() {
        return turnsByText.size();
    }
}
