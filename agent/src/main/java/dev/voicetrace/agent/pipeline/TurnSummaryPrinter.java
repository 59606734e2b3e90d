package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import java.io.PrintStream;
import java.util.Locale;
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
            line.append(' ').append(name).append('=')
                    .append(String.format(Locale.ROOT, "%.1fms", latency.getValue()));
        }
        line.append(" tokens=").append(metrics.totalTokens)
                .append(String.format(Locale.ROOT, " cost=$%.6f", metrics.totalCost));
        out.println(line);
    }
}
