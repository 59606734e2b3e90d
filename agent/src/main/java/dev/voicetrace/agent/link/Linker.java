package dev.voicetrace.agent.link;

import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places each stage record in a session and a turn, and links it to the stage it came from.
 *
 * <p>Sessions: the session id found in the calling thread's context wins; otherwise the session
 * of the turn the record's context or text links it to; otherwise the configured or per-JVM default.
 *
 * <p>Turns: a transcript (STT) opens a new turn and closes the session's open ones. A call made in
 * the context of a transcription (the turn anchor followed it across threads) joins that
 * transcription's turn, linked to the text it consumed when that matches within the turn. Without
 * a context, a language
 * model call whose latest user message is a recent transcript joins that transcript's turn; a
 * speech call whose text is a recent model reply, or one of its sentences, joins the reply's turn.
 * A call that links to nothing opens a turn of its own beside the voice turn, which stays open for
 * its speech; a session keeps a few open turns at most, closing the oldest beyond that. Matching
 * uses normalised text in hash indexes, never a scan of all sessions. When a text matched without
 * a session to narrow it down and another session said the same words, the most recent wins and
 * the observation is marked {@code link_ambiguous}.
 *
 * <p>Not thread-safe: the agent's single processing thread owns it.
 */
public final class Linker {

    /** Defaults: index entries kept for matching (older ones go first) and sessions remembered. */
    public static final int DEFAULT_MAX_INDEX_ENTRIES = 10_000;
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /** Beyond this many open turns in one session, the oldest is closed. */
    private static final int MAX_OPEN_TURNS_PER_SESSION = 8;

    private final IdGenerator ids;
    private final String defaultSessionId;
    private final long idleNanos;
    private final int maxSessions;
    private final int maxIndexEntries;
    /** Index entries, sessions and turns given up to stay within the limits. */
    private long evictions;

    private final Map<String, SessionState> sessions = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Normalised transcript -> the STT observation that produced it; and the same in each session,
     * by a {@link SessionText}.
     */
    private final Map<Object, Upstream> transcripts;
    /** Normalised reply, and each of its sentences -> the LLM observation that produced it; also by session. */
    private final Map<Object, Upstream> replies;
    /** Turn anchor of a transcription -> its observation, for the calls made in its context. */
    private final Map<Long, Upstream> anchors;
    /** Transcripts and replies -> the turns that said them, to recognise a conversation's history. */
    private final ConversationIndex conversations;
    /** A generated session whose first turn turned out to continue another -> that other session. */
    private final Map<String, String> aliases;
    /** Tool calls waiting for their results, whose follow-up calls join the asking call's turn. */
    private ToolBracketer tools;
    /** Turns other services opened, which calls made for their requests join. */
    private final RemoteTurns remoteTurns;
    /** The fixed ids (trace and root span) a turn was opened with: a second turn never takes them. */
    private final java.util.Set<String> idsTaken;

    /**
     * What an index entry keeps of an observation: enough to link to it, not its record, so that
     * the index never holds prompts and replies of long-closed turns.
     */
    private static final class Upstream {
        final String spanId;
        final Turn turn;
        /** When the observation's call started: a call that started earlier cannot have consumed its text. */
        final long startEpochNanos;
        /** Another session produced the same text shortly before (only set on session-less keys). */
        final boolean ambiguous;

        Upstream(LinkedObservation observation) {
            this(observation.spanId, observation.turn, observation.record.startEpochNanos, false);
        }

        private Upstream(String spanId, Turn turn, long startEpochNanos, boolean ambiguous) {
            this.spanId = spanId;
            this.turn = turn;
            this.startEpochNanos = startEpochNanos;
            this.ambiguous = ambiguous;
        }

        /** The session of the observation's turn, which follows the turn if it moves. */
        String sessionId() {
            return turn.sessionId;
        }

        Upstream ambiguous() {
            return new Upstream(spanId, turn, startEpochNanos, true);
        }
    }

    public Linker(IdGenerator ids, String defaultSessionId, long idleNanos) {
        this(ids, defaultSessionId, idleNanos, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_INDEX_ENTRIES);
    }

    public Linker(IdGenerator ids, String defaultSessionId, long idleNanos, int maxSessions, int maxIndexEntries) {
        this.ids = ids;
        this.defaultSessionId = defaultSessionId;
        this.idleNanos = idleNanos;
        this.maxSessions = Math.max(1, maxSessions);
        this.maxIndexEntries = Math.max(1, maxIndexEntries);
        this.transcripts = boundedIndex();
        this.replies = boundedIndex();
        this.anchors = boundedIndex();
        this.idsTaken = java.util.Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > Linker.this.maxIndexEntries;
            }
        });
        this.conversations = new ConversationIndex(this.maxIndexEntries);
        this.remoteTurns = new RemoteTurns(ids, this.maxSessions);
        this.aliases = new LinkedHashMap<String, String>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > Linker.this.maxSessions;
            }
        };
    }

    /**
     * Lets a call that answers pending tool calls (or a tool a framework ran), when nothing else
     * links it, join the turn of the model call that asked for them.
     */
    public void useToolBracketer(ToolBracketer bracketer) {
        this.tools = bracketer;
    }

    /** The ids this linker gives spans and traces, for the observations linked beside it. */
    public IdGenerator ids() {
        return ids;
    }

    /** How many index entries, sessions and open turns were given up to stay within the limits. */
    public long evictions() {
        return evictions;
    }

    private static final class SessionState {
        final String id;
        /** The id was generated at a transcription: the conversation may already have a session. */
        boolean generated;
        int turns;
        /** Oldest first: the voice turn in progress, and turns that calls linked to nothing opened. */
        final ArrayDeque<Turn> openTurns = new ArrayDeque<>(2);

        SessionState(String id) {
            this.id = id;
        }
    }

    /**
     * The result of linking one record: its observation, the observations now ready for export
     * (it, unless its turn's session is not settled yet, and those its settling released), and
     * turns that it closed.
     */
    public static final class Result {
        public final LinkedObservation observation;
        public final List<LinkedObservation> ready;
        public final List<Turn> closedTurns;

        Result(LinkedObservation observation, List<LinkedObservation> ready, List<Turn> closedTurns) {
            this.observation = observation;
            this.ready = ready;
            this.closedTurns = closedTurns;
        }
    }

    public Result link(StageRecord record) {
        if (record.contextTurn != null && record.contextTurn.remote && record.kind != StageKind.STT) {
            return remoteTurns.link(record, record.contextSessionId != null ? resolve(record.contextSessionId)
                    : defaultSessionId);
        }
        List<Turn> closed = new ArrayList<>(1);
        Upstream anchor = record.kind == StageKind.STT || record.contextTurnAnchor == 0 ? null
                : anchors.get(record.contextTurnAnchor);
        String contextSession = record.contextSessionId != null ? resolve(record.contextSessionId)
                : anchor != null ? anchor.sessionId() : null;
        Upstream upstream = upstreamOf(record, contextSession);
        String sessionId = contextSession != null ? contextSession
                : upstream != null ? upstream.sessionId()
                : defaultSessionId;
        SessionState session = session(sessionId);
        if (record.contextSessionGenerated && session.turns == 0) {
            session.generated = true;
        }
        if (anchor != null && !anchor.sessionId().equals(sessionId)) {
            anchor = null;
        }
        if (anchor != null && carriedFromAnEarlierTurn(record, anchor, upstream)) {
            anchor = null;
        }
        boolean upstreamUsable = upstream != null && upstream.sessionId().equals(sessionId)
                && (anchor == null || upstream.turn == anchor.turn);

        Turn turn;
        String linkedFrom = upstreamUsable ? upstream.spanId : null;
        String linkedBy = upstreamUsable ? "content" : null;
        if (record.kind == StageKind.STT) {
            // A new utterance ends what the session was doing.
            closeAll(session, closed);
            turn = openTurn(session, closed, record.contextTurn);
        } else if (anchor != null) {
            turn = anchor.turn;
            if (!upstreamUsable) {
                linkedFrom = contextUpstream(record, anchor);
                linkedBy = "context";
            }
        } else if (!upstreamUsable) {
            ToolBracketer.Asker asker = tools == null ? null : tools.askerOf(record, sessionId);
            if (asker != null) {
                turn = asker.turn;
                linkedFrom = asker.spanId;
                linkedBy = "tool_call";
            } else {
                // A call unrelated to the voice turn (a summary, a greeting) gets a turn of its own
                // and leaves the voice turn open for its speech. When its context fixed a turn's ids
                // (an utterance whose transcription was never recorded), it takes them: requests
                // to other services may already have carried them.
                turn = openTurnWithIds(session, record.contextTurn);
                if (turn == null) {
                    turn = openTurn(session, closed, record.contextTurn);
                }
            }
        } else {
            turn = upstream.turn;
        }
        // A transcription whose turn's ids were fixed at its start (they may have left with a request) keeps them.
        String spanId = record.kind == StageKind.STT && record.contextTurn != null && !record.contextTurn.remote
                && record.contextTurn.traceId.equals(turn.traceId) ? record.contextTurn.openerSpanId : ids.spanId();
        LinkedObservation observation = new LinkedObservation(record, sessionId, turn, spanId,
                linkedFrom, linkedBy);
        if (upstreamUsable && upstream.ambiguous && record.contextSessionId == null) {
            observation.linkFacts.put("link_ambiguous", "true");
        }
        turn.add(observation);
        List<LinkedObservation> ready;
        if (turn.isHolding() && record.kind == StageKind.LLM) {
            continueConversation(turn, observation, closed);
            ready = turn.settle();
        } else {
            ready = turn.isHolding() ? Collections.<LinkedObservation>emptyList() : Collections.singletonList(observation);
        }
        index(observation);
        if (record.kind == StageKind.STT && record.contextTurnAnchor != 0) {
            anchors.put(record.contextTurnAnchor, new Upstream(observation));
        }
        return new Result(observation, ready, closed);
    }

    /**
     * Whether the context came with the work from an earlier turn of the same session while the
     * call's text belongs to a later one: the call consumed that later turn's output (its text
     * matches, and it started after the stage producing it did; speech may start while a reply
     * still streams), so it is that turn's. Context is carried from the thread that hands work on,
     * and a continuation registered once its input was already there runs with the context of the
     * thread registering it: the previous turn's. A call of the earlier turn that was still running
     * when the later turn began (the caller spoke again meanwhile) started before that stage and
     * keeps its context's turn.
     */
    private static boolean carriedFromAnEarlierTurn(StageRecord record, Upstream anchor, Upstream upstream) {
        return upstream != null && upstream.turn != anchor.turn
                && upstream.sessionId().equals(anchor.sessionId())
                && upstream.turn.index > anchor.turn.index
                && record.startEpochNanos >= upstream.startEpochNanos;
    }

    /** A session id, or the session its generated id was found to continue. */
    private String resolve(String sessionId) {
        String resolved = sessionId;
        for (int hops = 0; hops < 4; hops++) {
            String next = aliases.get(resolved);
            if (next == null) {
                return resolved;
            }
            resolved = next;
        }
        return resolved;
    }

    /**
     * Settles the session of a turn held because it opened a generated session: when the model
     * call's history holds earlier turns of exactly one other conversation, the turn moves there as
     * its next turn, and its generated id becomes an alias of that session for the stages still to
     * come. When the history fits several conversations, or contradicts itself, nothing moves and
     * the observation says why.
     */
    private void continueConversation(Turn turn, LinkedObservation observation, List<Turn> closed) {
        StageRecord record = observation.record;
        ConversationIndex.Match match = conversations.match(record.historyTexts, turn);
        if (match.ambiguous != null) {
            observation.linkFacts.put("session_not_joined", match.ambiguous);
            return;
        }
        if (match.sessionId == null || match.sessionId.equals(turn.sessionId)) {
            return;
        }
        String generatedId = turn.sessionId;
        SessionState generated = sessions.get(generatedId);
        if (generated != null) {
            generated.openTurns.remove(turn);
            if (generated.openTurns.isEmpty()) {
                sessions.remove(generatedId);
            }
        }
        aliases.put(generatedId, match.sessionId);
        SessionState continued = session(match.sessionId);
        // As at a transcription: a new utterance ends what the conversation was doing.
        closeAll(continued, closed);
        continued.turns++;
        turn.moveTo(match.sessionId, continued.turns);
        continued.openTurns.addLast(turn);
        observation.linkFacts.put("session_joined_by", "history");
        for (LinkedObservation earlier : turn.observations()) {
            index(earlier);
        }
    }

    /**
     * The stage a call made in a turn's context consumed, when its text matched nothing: a model
     * call consumed the transcript; speech consumed the turn's latest reply, if it has arrived
     * (sentences are often spoken while the reply is still streaming).
     */
    private static String contextUpstream(StageRecord record, Upstream anchor) {
        if (record.kind == StageKind.LLM) {
            return anchor.spanId;
        }
        List<LinkedObservation> observations = anchor.turn.observations();
        for (int i = observations.size() - 1; i >= 0; i--) {
            if (observations.get(i).record.kind == StageKind.LLM) {
                return observations.get(i).spanId;
            }
        }
        return null;
    }

    /** Closes turns idle for longer than the configured time. */
    public List<Turn> closeIdle(long nowEpochNanos) {
        List<Turn> closed = remoteTurns.closeIdle(nowEpochNanos, idleNanos);
        for (SessionState session : sessions.values()) {
            for (Iterator<Turn> it = session.openTurns.iterator(); it.hasNext(); ) {
                Turn open = it.next();
                if (nowEpochNanos - open.lastActivityEpochNanos() > idleNanos) {
                    it.remove();
                    close(open, closed);
                }
            }
        }
        return closed;
    }

    /** Closes every open turn, at shutdown. */
    public List<Turn> closeAll() {
        List<Turn> closed = remoteTurns.closeAll();
        for (SessionState session : sessions.values()) {
            closeAll(session, closed);
        }
        return closed;
    }

    private Upstream upstreamOf(StageRecord record, String contextSession) {
        String key = TextKey.of(record.inputText);
        if (key == null) {
            return null;
        }
        Map<Object, Upstream> index = record.kind == StageKind.LLM ? transcripts
                : record.kind == StageKind.TTS ? replies : null;
        if (index == null) {
            return null;
        }
        // The same words ("yes", "thank you") are said in many sessions at once: prefer this session's.
        if (contextSession != null) {
            Upstream own = index.get(new SessionText(contextSession, key));
            if (own != null) {
                return own;
            }
        }
        Upstream latest = index.get(key);
        if (latest != null && latest.ambiguous && contextSession == null && !record.historyTexts.isEmpty()) {
            // Without a context, the conversation the model call's history continues names the session.
            ConversationIndex.Match match = conversations.match(record.historyTexts, null);
            Upstream own = match.sessionId == null ? null : index.get(new SessionText(match.sessionId, key));
            if (own != null) {
                return own;
            }
        }
        return latest;
    }

    private void index(LinkedObservation linked) {
        StageRecord record = linked.record;
        if (record.kind == StageKind.STT) {
            String key = TextKey.of(record.outputText);
            putKey(transcripts, key, new Upstream(linked));
            conversations.add(key, linked.turn);
        } else if (record.kind == StageKind.LLM && record.outputText != null) {
            TextKey.Reply reply = TextKey.ofReply(record.outputText);
            conversations.add(reply.key, linked.turn);
            Upstream entry = new Upstream(linked);
            putKey(replies, reply.key, entry);
            for (String sentence : reply.sentences) {
                if (!sentence.equals(reply.key)) { // a one-sentence reply: its key is in already
                    putKey(replies, sentence, entry);
                }
            }
        }
    }

    private static void putKey(Map<Object, Upstream> index, String key, Upstream observation) {
        if (key != null) {
            // Remove first so that re-inserting moves the key to the young end of the eviction order.
            Upstream previous = index.remove(key);
            boolean ambiguous = previous != null && !previous.sessionId().equals(observation.sessionId())
                    && !previous.turn.isClosed();
            index.put(key, ambiguous ? observation.ambiguous() : observation);
            SessionText scoped = new SessionText(observation.sessionId(), key);
            index.remove(scoped);
            index.put(scoped, observation);
        }
    }

    /**
     * A text as said in one session: a key of the indexes beside the text alone. A pair, not the
     * two strings joined, whose hash is the two strings' own, computed once each: the index is
     * written for every transcript and reply and its sentences, and a joined key was a new string
     * of the reply's length, hashed anew, each time.
     */
    private static final class SessionText {
        private final String sessionId;
        private final String text;

        SessionText(String sessionId, String text) {
            this.sessionId = sessionId;
            this.text = text;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SessionText && ((SessionText) other).sessionId.equals(sessionId)
                    && ((SessionText) other).text.equals(text);
        }

        @Override
        public int hashCode() {
            return sessionId.hashCode() * 31 + text.hashCode();
        }
    }

    private Turn openTurn(SessionState session, List<Turn> closed) {
        return openTurn(session, closed, null);
    }

    /** The session's open turn that already has {@code identity}'s ids, or null. */
    private static Turn openTurnWithIds(SessionState session, dev.voicetrace.bootstrap.TurnIdentity identity) {
        if (identity == null || identity.remote) {
            return null;
        }
        for (Turn open : session.openTurns) {
            if (open.traceId.equals(identity.traceId) && open.rootSpanId.equals(identity.spanId)) {
                return open;
            }
        }
        return null;
    }

    /**
     * A new turn, with {@code identity}'s ids when they are a local turn's that no turn has had yet
     * (a turn closed since keeps them: a late call opens a turn of its own rather than a second root).
     */
    private Turn openTurn(SessionState session, List<Turn> closed, dev.voicetrace.bootstrap.TurnIdentity identity) {
        if (session.openTurns.size() >= MAX_OPEN_TURNS_PER_SESSION) {
            close(session.openTurns.removeFirst(), closed);
            evictions++;
        }
        session.turns++;
        boolean fixedIds = identity != null && !identity.remote && idsTaken.add(identity.traceId + identity.spanId);
        Turn turn = fixedIds
                ? new Turn(identity.traceId, identity.spanId, identity.parentSpanId, false, session.id, session.turns)
                : new Turn(ids.traceId(), ids.spanId(), session.id, session.turns);
        if (session.generated && session.turns == 1) {
            turn.hold();
        }
        session.openTurns.addLast(turn);
        return turn;
    }

    private static void closeAll(SessionState session, List<Turn> closed) {
        while (!session.openTurns.isEmpty()) {
            close(session.openTurns.removeFirst(), closed);
        }
    }

    private static void close(Turn turn, List<Turn> closed) {
        turn.markClosed();
        closed.add(turn);
    }

    private SessionState session(String id) {
        SessionState state = sessions.get(id);
        if (state == null) {
            evictIdleSessions();
            state = new SessionState(id);
            sessions.put(id, state);
        }
        return state;
    }

    /** Forgets the least recently used sessions without an open turn once there are too many. */
    private void evictIdleSessions() {
        if (sessions.size() < maxSessions) {
            return;
        }
        for (Iterator<SessionState> it = sessions.values().iterator(); it.hasNext() && sessions.size() >= maxSessions; ) {
            if (it.next().openTurns.isEmpty()) {
                it.remove();
                evictions++;
            }
        }
    }

    private <K> Map<K, Upstream> boundedIndex() {
        return new LinkedHashMap<K, Upstream>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Upstream> eldest) {
                if (size() > maxIndexEntries) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    int sessionCount() {
        return sessions.size();
    }

    int openTurnCount() {
        int open = 0;
        for (SessionState session : sessions.values()) {
            open += session.openTurns.size();
        }
        return open;
    }

    int indexSize() {
        return transcripts.size() + replies.size() + anchors.size() + conversations.size();
    }
}
