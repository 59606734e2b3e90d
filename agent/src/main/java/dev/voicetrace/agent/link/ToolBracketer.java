package dev.voicetrace.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.tools.ToolCall;
import dev.voicetrace.agent.tools.ToolCallReader;
import dev.voicetrace.agent.provider.ToolCallReaders;
import dev.voicetrace.agent.tools.ToolJson;
import dev.voicetrace.agent.tools.ToolResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the tools a turn ran between its model calls. A model call whose reply asks for tool
 * calls leaves them pending in its turn. A later model call whose request carries results for
 * pending calls brackets them: each answered call becomes one tool observation, from the end of
 * the asking call to the start of the answering one (metadata {@code timing=inferred}: the time
 * also holds the application's own work between the calls). A tool a framework ran under the
 * agent's eyes (a {@link StageKind#TOOL} record) takes its pending call instead, so the same call
 * is never observed twice. Calls are matched by the provider's call id, or, where there is none
 * (Gemini), by name in order within the turn; a framework tool without an id (Spring AI) by name
 * and arguments. Pending calls live only while their turn is open: when it closes, a call whose
 * result never came is dropped without an observation, since nothing tells that the tool ran.
 *
 * <p>Not thread-safe: the agent's single processing thread owns it, beside the {@link Linker}.
 */
public final class ToolBracketer {

    /** Pending calls kept at most, over all open turns; the oldest turn's go first beyond that. */
    public static final int DEFAULT_MAX_PENDING = 10_000;

    private final IdGenerator ids;
    private final int maxPending;
    private long evictions;
    private int pendingCount;

    /** Open turns with pending calls, oldest first, each with its calls in the order asked. */
    private final Map<Turn, List<Pending>> byTurn = new LinkedHashMap<>();
    /**
     * Pending calls that have a provider id, by session and id: ids are the provider's, and two
     * conversations (or a stand-in) may well use the same one.
     */
    private final Map<String, Pending> byId = new LinkedHashMap<>();

    /** The last record whose results were read, so that linking and bracketing read them once. */
    private StageRecord resultsOf;
    private List<ToolResult> results = Collections.emptyList();

    /** A tool call asked for and not answered yet: what its observation needs of the asking call. */
    private static final class Pending {
        final ToolCall call;
        final Turn turn;
        final String sessionId;
        final String askingSpanId;
        final String provider;
        final long askedEndEpochNanos;
        /** A framework ran it under the agent's eyes: its result links the follow-up, and is not inferred. */
        boolean observedDirectly;

        Pending(ToolCall call, LinkedObservation asking) {
            this.call = call;
            this.turn = asking.turn;
            this.sessionId = asking.sessionId;
            this.askingSpanId = asking.spanId;
            this.provider = asking.record.provider;
            this.askedEndEpochNanos = asking.record.endEpochNanos;
        }
    }

    /** The turn and the model call a record belongs after: the call that asked for its tool. */
    public static final class Asker {
        public final Turn turn;
        public final String spanId;

        Asker(Turn turn, String spanId) {
            this.turn = turn;
            this.spanId = spanId;
        }
    }

    public ToolBracketer(IdGenerator ids) {
        this(ids, DEFAULT_MAX_PENDING);
    }

    public ToolBracketer(IdGenerator ids, int maxPending) {
        this.ids = ids;
        this.maxPending = Math.max(1, maxPending);
    }

    /** Pending calls given up to stay within the limit. */
    public long evictions() {
        return evictions;
    }

    /**
     * The model call that asked for what {@code record} carries, when it is pending in an open
     * turn of {@code sessionId}: the answering model call's results (by call id), or the tool a
     * framework ran (by call id, or by name and arguments). Null otherwise. Lets a follow-up call
     * that nothing else links join the turn of the call it answers.
     */
    public Asker askerOf(StageRecord record, String sessionId) {
        if (pendingCount == 0 || isNested(record)) {
            return null;
        }
        Pending pending = null;
        if (record.kind == StageKind.TOOL) {
            pending = pendingForTool(record, sessionId);
        } else if (record.kind == StageKind.LLM) {
            for (ToolResult result : resultsOf(record)) {
                pending = answered(result, sessionId, null);
                if (pending != null) {
                    break;
                }
            }
        }
        return pending == null || pending.turn.isClosed() ? null : new Asker(pending.turn, pending.askingSpanId);
    }

    /**
     * Called with every observation once it is linked, before it is exported. A tool a framework
     * ran takes its pending call (and its call id, when the framework did not give it one). A model
     * call's results answer pending calls: one tool observation each, returned and added to the
     * asking call's turn; then the calls its reply asks for become pending in its own turn.
     */
    public List<LinkedObservation> afterLinked(LinkedObservation observation) {
        StageRecord record = observation.record;
        if (record.kind == StageKind.TOOL) {
            Pending pending = pendingCount == 0 ? null : pendingForTool(record, observation.sessionId);
            if (pending != null) {
                pending.observedDirectly = true;
                if (pending.call.id != null && !record.metadata.containsKey("tool_call_id")) {
                    observation.linkFacts.put("tool_call_id", pending.call.id);
                }
            }
            return Collections.emptyList();
        }
        if (record.kind != StageKind.LLM || isNested(record)) {
            return Collections.emptyList();
        }
        ToolCallReader reader = ToolCallReaders.forProvider(record.provider);
        if (reader == null) {
            return Collections.emptyList();
        }
        List<LinkedObservation> tools = Collections.emptyList();
        if (pendingCount > 0) {
            for (ToolResult result : resultsOf(record)) {
                Pending pending = answered(result, observation.sessionId, observation.turn);
                if (pending != null) {
                    remove(pending);
                    if (pending.observedDirectly) {
                        continue;
                    }
                    if (tools.isEmpty()) {
                        tools = new ArrayList<>(2);
                    }
                    tools.add(inferred(pending, result, observation));
                }
            }
        }
        resultsOf = null;
        results = Collections.emptyList();
        if (record.error == null) {
            for (ToolCall call : reader.requestedCalls(record.output)) {
                add(new Pending(call, observation));
            }
        }
        return tools;
    }

    /** Drops the pending calls of a closed turn: their results never came, so no tool is known to have run. */
    public void turnClosed(Turn turn) {
        List<Pending> pending = byTurn.remove(turn);
        if (pending != null) {
            for (Pending each : pending) {
                forgetId(each);
            }
            pendingCount -= pending.size();
        }
    }

    /** An SDK call recorded inside a framework call is that call seen again: the framework call brackets. */
    private static boolean isNested(StageRecord record) {
        return record.metadata.containsKey("nested_in");
    }

    int pendingCount() {
        return pendingCount;
    }

    private List<ToolResult> resultsOf(StageRecord record) {
        if (resultsOf != record) {
            ToolCallReader reader = ToolCallReaders.forProvider(record.provider);
            results = reader == null ? Collections.emptyList() : reader.results(record.input);
            resultsOf = record;
        }
        return results;
    }

    /**
     * The pending call a result answers in the session: by id; without one, the first call of the
     * same name (and the same arguments, when the request repeats them) that has no id, in the
     * answering turn if it has one, else in the most recent turn that does.
     */
    private Pending answered(ToolResult result, String sessionId, Turn answeringTurn) {
        if (result.callId != null) {
            return byId.get(idKey(sessionId, result.callId));
        }
        if (result.name == null) {
            return null;
        }
        Pending inAnsweringTurn = answeringTurn == null ? null : firstNamed(byTurn.get(answeringTurn), result, sessionId);
        if (inAnsweringTurn != null) {
            return inAnsweringTurn;
        }
        Pending latest = null;
        for (List<Pending> inTurn : byTurn.values()) {
            Pending candidate = firstNamed(inTurn, result, sessionId);
            latest = candidate != null ? candidate : latest;
        }
        return latest;
    }

    private static Pending firstNamed(List<Pending> inTurn, ToolResult result, String sessionId) {
        if (inTurn == null) {
            return null;
        }
        for (Pending pending : inTurn) {
            if (pending.call.id == null && result.name.equals(pending.call.name) && pending.sessionId.equals(sessionId)
                    && (result.callArguments == null || result.callArguments.equals(pending.call.arguments))) {
                return pending;
            }
        }
        return null;
    }

    /** A framework's tool: its call id when it has one, else the latest pending call with its name and arguments. */
    private Pending pendingForTool(StageRecord tool, String sessionId) {
        String callId = tool.metadata.get("tool_call_id");
        if (callId != null) {
            Pending pending = byId.get(idKey(sessionId, callId));
            return pending != null && !pending.observedDirectly ? pending : null;
        }
        String name = tool.metadata.get("tool_name");
        Pending latest = null;
        for (List<Pending> inTurn : byTurn.values()) {
            for (Pending pending : inTurn) {
                if (!pending.observedDirectly && pending.sessionId.equals(sessionId) && name != null
                        && name.equals(pending.call.name)
                        && sameArguments(pending.call.arguments, tool.input)) {
                    latest = pending;
                }
            }
        }
        return latest;
    }

    private static boolean sameArguments(JsonNode asked, JsonNode given) {
        if (asked == null || given == null) {
            return asked == given;
        }
        JsonNode normalised = given.isTextual() ? ToolJson.fromText(given.asText()) : given;
        return asked.equals(normalised);
    }

    private LinkedObservation inferred(Pending pending, ToolResult result, LinkedObservation answering) {
        StageRecord tool = new StageRecord();
        tool.kind = StageKind.TOOL;
        tool.provider = pending.provider;
        tool.operation = "tool";
        tool.startEpochNanos = pending.askedEndEpochNanos;
        tool.endEpochNanos = Math.max(pending.askedEndEpochNanos, answering.record.startEpochNanos);
        tool.input = pending.call.arguments;
        tool.output = result.content;
        tool.contextSessionId = pending.sessionId;
        if (pending.call.name != null) {
            tool.metadata.put("tool_name", pending.call.name);
        }
        if (pending.call.id != null) {
            tool.metadata.put("tool_call_id", pending.call.id);
        }
        tool.metadata.put("timing", "inferred");
        tool.metadata.put("answered_by", answering.spanId);
        if (result.error) {
            tool.error = "the application returned the tool result as an error";
        }
        LinkedObservation linked = new LinkedObservation(tool, pending.sessionId, pending.turn, ids.spanId(),
                pending.askingSpanId, "tool_call");
        pending.turn.add(linked);
        return linked;
    }

    private void add(Pending pending) {
        if (pending.call.id != null) {
            String key = idKey(pending.sessionId, pending.call.id);
            Pending previous = byId.remove(key);
            if (previous != null) {
                removeFromTurn(previous);
            }
            byId.put(key, pending);
        }
        byTurn.computeIfAbsent(pending.turn, turn -> new ArrayList<>(2)).add(pending);
        pendingCount++;
        while (pendingCount > maxPending && !byTurn.isEmpty()) {
            Iterator<Map.Entry<Turn, List<Pending>>> oldest = byTurn.entrySet().iterator();
            List<Pending> dropped = oldest.next().getValue();
            oldest.remove();
            for (Pending each : dropped) {
                forgetId(each);
            }
            pendingCount -= dropped.size();
            evictions += dropped.size();
        }
    }

    private void remove(Pending pending) {
        forgetId(pending);
        removeFromTurn(pending);
    }

    private void removeFromTurn(Pending pending) {
        List<Pending> inTurn = byTurn.get(pending.turn);
        if (inTurn != null && inTurn.remove(pending)) {
            pendingCount--;
            if (inTurn.isEmpty()) {
                byTurn.remove(pending.turn);
            }
        }
    }

    private void forgetId(Pending pending) {
        if (pending.call.id != null) {
            String key = idKey(pending.sessionId, pending.call.id);
            if (byId.get(key) == pending) {
                byId.remove(key);
            }
        }
    }

    private static String idKey(String sessionId, String callId) {
        return sessionId + '\u0000' + callId;
    }
}
