package dev.voicetrace.agent.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Takes the turns as they are completed: numbers them, adds them up per session, per provider,
 * model and stage and per latency figure, and writes each one's JSON for the page at once, so
 * that only the figures stay in memory, never the turns.
 */
final class ReportData implements Consumer<ReportTurn> {

    static final int SLOWEST = 10;
    /**
     * Characters of call text (inputs, outputs, usage, parameters, metadata) the page keeps; past
     * it, later turns keep their figures, words and reply but not their calls' text, so that a
     * report of 100,000 turns stays a page a browser opens in seconds.
     */
    static final long CALL_TEXT_BUDGET = 24L * 1024 * 1024;
    static final int MAX_LISTED_PROBLEMS = 100;

    /** One row of the sessions table. */
    static final class SessionRow {
        final int index;
        final String id;
        String service;
        long startNanos = Long.MAX_VALUE;
        long endNanos;
        int turns;
        long tokens;
        double cost;
        int errors;
        int interruptions;
        int incomplete;

        SessionRow(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    /** Calls, tokens and cost of one provider, model or stage. */
    static final class UsageRow {
        long calls;
        long tokens;
        double cost;
        long errors;
        double durationMs;
    }

    /** A turn listed among the slowest, or an observation listed as failed or interrupted. */
    static final class Listed {
        final int turn;
        final double value;
        final String session;
        final String text;
        final String detail;

        Listed(int turn, double value, String session, String text, String detail) {
            this.turn = turn;
            this.value = value;
            this.session = session;
            this.text = text;
            this.detail = detail;
        }
    }

    private final Writer turnsOut;
    private long callTextLeft;
    /** Turns whose calls' text was left out for {@link #CALL_TEXT_BUDGET}. */
    int turnsWithoutCallText;
    int turns;
    long observations;
    long tokens;
    double cost;
    long errors;
    long interruptions;
    int incompleteTurns;
    long firstStartNanos = Long.MAX_VALUE;
    long lastEndNanos;
    final Map<String, SessionRow> sessions = new LinkedHashMap<>();
    final Map<String, Percentiles> latencies = new LinkedHashMap<>();
    final Map<String, UsageRow> byProvider = new TreeMap<>();
    final Map<String, UsageRow> byModel = new TreeMap<>();
    /** Stages in pipeline order. */
    final Map<String, UsageRow> byStage = new TreeMap<>(Comparator.comparingInt(ReportData::stageOrder)
            .thenComparing(Comparator.naturalOrder()));
    final List<Listed> problems = new ArrayList<>();
    private final PriorityQueue<Listed> slowest = new PriorityQueue<>(Comparator.comparingDouble(l -> l.value));
    /** Which figure ranks the slowest turns: voice-to-voice, or the turn's duration when no turn has one. */
    private final PriorityQueue<Listed> longest = new PriorityQueue<>(Comparator.comparingDouble(l -> l.value));

    ReportData(Writer turnsOut) {
        this(turnsOut, CALL_TEXT_BUDGET);
    }

    ReportData(Writer turnsOut, long callTextBudget) {
        this.turnsOut = turnsOut;
        this.callTextLeft = callTextBudget;
        for (String latency : ReportTurn.LATENCIES) {
            latencies.put(latency, new Percentiles());
        }
    }

    @Override
    public void accept(ReportTurn turn) {
        int index = turns++;
        String sessionId = turn.sessionId == null ? "(no session)" : turn.sessionId;
        SessionRow session = sessions.get(sessionId);
        if (session == null) {
            session = new SessionRow(sessions.size(), sessionId);
            sessions.put(sessionId, session);
        }
        long start = turn.startNanos();
        long end = turn.endNanos();
        long turnTokens = turn.tokens();
        double turnCost = turn.cost();
        int turnErrors = turn.errors();
        int turnInterruptions = turn.interruptions();
        Map<String, Double> figures = turn.latencies();

        session.turns++;
        session.startNanos = Math.min(session.startNanos, start);
        session.endNanos = Math.max(session.endNanos, end);
        session.tokens += turnTokens;
        session.cost += turnCost;
        session.errors += turnErrors;
        session.interruptions += turnInterruptions;
        if (session.service == null) {
            session.service = turn.serviceName;
        }
        if (!turn.complete) {
            session.incomplete++;
            incompleteTurns++;
        }
        observations += turn.observations.size();
        tokens += turnTokens;
        cost += turnCost;
        errors += turnErrors;
        interruptions += turnInterruptions;
        if (start > 0) {
            firstStartNanos = Math.min(firstStartNanos, start);
        }
        lastEndNanos = Math.max(lastEndNanos, end);
        for (Map.Entry<String, Double> figure : figures.entrySet()) {
            Percentiles samples = latencies.get(figure.getKey());
            if (samples != null) {
                samples.add(figure.getValue());
            }
        }
        String heard = turn.heard();
        Double voiceToVoice = figures.get("voice_to_voice_ms");
        if (voiceToVoice != null) {
            keep(slowest, new Listed(index, voiceToVoice, sessionId, TextLimits.cut(heard, 160), null));
        }
        keep(longest, new Listed(index, (end - start) / 1e6, sessionId, TextLimits.cut(heard, 160), null));
        for (ReportObservation o : turn.observations) {
            add(byProvider, o.provider == null ? "(none)" : o.provider, o);
            add(byModel, (o.provider == null ? "" : o.provider + " / ") + (o.model == null ? "(no model)" : o.model), o);
            add(byStage, o.stage, o);
            if ((o.error != null || o.interrupted) && problems.size() < MAX_LISTED_PROBLEMS) {
                problems.add(new Listed(index, o.startNanos / 1e6, sessionId, o.name,
                        o.error != null ? o.error : "interrupted: the application stopped reading before the end"));
            }
        }
        try {
            writeTurn(turn, index, session.index, start, end, turnTokens, turnCost, figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The slowest turns by voice-to-voice latency, slowest first; by duration when none has that figure. */
    List<Listed> slowestTurns() {
        List<Listed> list = new ArrayList<>(slowest.isEmpty() ? longest : slowest);
        list.sort(Comparator.comparingDouble((Listed l) -> l.value).reversed());
        return list;
    }

    boolean slowestByVoiceToVoice() {
        return !slowest.isEmpty();
    }

    private static int stageOrder(String stage) {
        int order = java.util.Arrays.asList("stt", "llm", "tool", "tts").indexOf(stage);
        return order < 0 ? 4 : order;
    }

    private static void keep(PriorityQueue<Listed> top, Listed candidate) {
        if (top.size() < SLOWEST) {
            top.add(candidate);
        } else if (candidate.value > top.peek().value) {
            top.poll();
            top.add(candidate);
        }
    }

    private static void add(Map<String, UsageRow> rows, String key, ReportObservation o) {
        UsageRow row = rows.get(key);
        if (row == null) {
            row = new UsageRow();
            rows.put(key, row);
        }
        row.calls++;
        if (o.tokens > 0 && !o.nested) {
            row.tokens += o.tokens;
        }
        if (!Double.isNaN(o.cost)) {
            row.cost += o.cost;
        }
        if (o.error != null) {
            row.errors++;
        }
        row.durationMs += (o.endNanos - o.startNanos) / 1e6;
    }

    private void writeTurn(ReportTurn turn, int index, int session, long start, long end, long turnTokens,
            double turnCost, Map<String, Double> figures) throws IOException {
        Writer out = turnsOut;
        if (index > 0) {
            out.write(",\n");
        }
        out.write("{\"i\":");
        out.write(Integer.toString(index));
        out.write(",\"s\":");
        out.write(Integer.toString(session));
        out.write(",\"n\":");
        out.write(Integer.toString(turn.turnIndex));
        out.write(",\"t\":");
        JsonText.string(out, turn.traceId);
        out.write(",\"a\":");
        JsonText.number(out, start / 1e6, 3);
        out.write(",\"d\":");
        JsonText.number(out, (end - start) / 1e6, 3);
        out.write(",\"u\":");
        JsonText.string(out, turn.heard());
        out.write(",\"r\":");
        JsonText.string(out, turn.spoken());
        out.write(",\"k\":");
        out.write(Long.toString(turnTokens));
        out.write(",\"c\":");
        JsonText.number(out, turnCost, 9);
        out.write(",\"f\":");
        out.write(turn.complete ? "1" : "0");
        out.write(",\"m\":{");
        boolean first = true;
        for (Map.Entry<String, Double> figure : figures.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            JsonText.string(out, figure.getKey());
            out.write(':');
            JsonText.number(out, figure.getValue(), 3);
        }
        out.write("},\"o\":[");
        List<ReportObservation> ordered = new ArrayList<>(turn.observations);
        ordered.sort(Comparator.comparingLong((ReportObservation o) -> o.startNanos));
        long callText = 0;
        for (ReportObservation o : ordered) {
            callText += length(o.usage) + length(o.parameters) + length(o.input) + length(o.output) + length(o.metadata);
        }
        boolean withText = callText <= callTextLeft;
        if (withText) {
            callTextLeft -= callText;
        } else {
            callTextLeft = 0;
            turnsWithoutCallText++;
        }
        for (int i = 0; i < ordered.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            writeObservation(out, ordered.get(i), start, withText);
        }
        out.write(']');
        if (!withText) {
            out.write(",\"nt\":1");
        }
        out.write('}');
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    private static void writeObservation(Writer out, ReportObservation o, long turnStart, boolean withText)
            throws IOException {
        out.write("{\"n\":");
        JsonText.string(out, o.name);
        out.write(",\"g\":");
        JsonText.string(out, o.stage);
        out.write(",\"y\":");
        JsonText.string(out, o.type);
        out.write(",\"a\":");
        JsonText.number(out, (o.startNanos - turnStart) / 1e6, 3);
        out.write(",\"d\":");
        JsonText.number(out, (o.endNanos - o.startNanos) / 1e6, 3);
        if (o.firstOutputNanos > 0) {
            out.write(",\"f\":");
            JsonText.number(out, (o.firstOutputNanos - turnStart) / 1e6, 3);
        }
        optional(out, "m", o.model);
        optional(out, "p", o.provider);
        if (o.tokens >= 0) {
            out.write(",\"k\":");
            out.write(Long.toString(o.tokens));
        }
        if (!Double.isNaN(o.cost)) {
            out.write(",\"c\":");
            JsonText.number(out, o.cost, 9);
        }
        if (withText) {
            optional(out, "us", o.usage);
            optional(out, "q", o.parameters);
            optional(out, "in", o.input);
            optional(out, "out", o.output);
            optional(out, "md", o.metadata);
        }
        optional(out, "e", o.error);
        if (o.interrupted) {
            out.write(",\"x\":1");
        }
        if (!o.toolCalls.isEmpty()) {
            out.write(",\"tc\":[");
            for (int i = 0; i < o.toolCalls.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                JsonText.string(out, o.toolCalls.get(i));
            }
            out.write(']');
        }
        out.write('}');
    }

    private static void optional(Writer out, String key, String value) throws IOException {
        if (value != null) {
            out.write(",\"");
            out.write(key);
            out.write("\":");
            JsonText.string(out, value);
        }
    }
}
