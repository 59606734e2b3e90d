package dev.voicetrace.agent.report;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Groups spans into turns as they are read. The agent writes a turn's observations as they
 * finish and its root span when the turn closes, so a turn is complete, and handed on, when its
 * root arrives; only turns still open are held. Beyond {@link #MAX_OPEN} open turns the oldest
 * is handed on as it is (incomplete), which keeps memory bounded whatever the input.
 */
final class TurnAssembler {

    static final int MAX_OPEN = 10_000;

    private final Map<String, ReportTurn> open = new LinkedHashMap<>();
    private final Consumer<ReportTurn> sink;
    private final int maxOpen;

    TurnAssembler(Consumer<ReportTurn> sink) {
        this(sink, MAX_OPEN);
    }

    TurnAssembler(Consumer<ReportTurn> sink, int maxOpen) {
        this.sink = sink;
        this.maxOpen = maxOpen;
    }

    void add(ReportSpan span) {
        ReportTurn turn = open.get(span.traceId);
        if (turn == null) {
            turn = new ReportTurn(span.traceId);
            open.put(span.traceId, turn);
        }
        turn.add(span);
        if (turn.complete) {
            open.remove(span.traceId);
            sink.accept(turn);
        } else if (open.size() > maxOpen) {
            Iterator<ReportTurn> oldest = open.values().iterator();
            ReportTurn evicted = oldest.next();
            oldest.remove();
            sink.accept(evicted);
        }
    }

    /** Hands on the turns whose root never came, oldest first. */
    void finish() {
        for (ReportTurn turn : open.values()) {
            sink.accept(turn);
        }
        open.clear();
    }
}
