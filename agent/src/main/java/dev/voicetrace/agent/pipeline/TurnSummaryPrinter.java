package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** One line per closed turn on stderr, so the agent tells something useful with no backend. */
public final class TurnSummaryPrinter {

    private final PrintStream out;

    public TurnSummaryPrinter(PrintStream out) {
        this.out = out;
    }

    public void print(Turn turn) {
        TurnMetrics metrics = turn.metrics();
        StringBuilder line = new StringBuilder(200)
                .append("[voicetrace] turn ").append(turn.index)
                .append(" session=").append(turn.sessionId)
                .append(" trace=").append(turn.traceId)
                .append(" observations=").append(metrics.observations);
        for (Map.Entry<String, Double> latency : metrics.latenciesMs.entrySet()) {
            String name = latency.getKey().replace("_ms", "");
            line.append(' ').append(name).append('=').append(fixed(latency.getValue(), 1)).append("ms");
        }
        line.append(" tokens=").append(metrics.totalTokens)
                .append(" cost=$").append(fixed(metrics.totalCost, 6));
        out.println(line);
    }

    /**
     * {@code value} with exactly {@code decimals} decimals, rounded half up as {@code %.Nf} does;
     * a formatter would cost more than the rest of the line (it looks up the locale's symbols on
     * every call, on the processing thread).
     */
    static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
