package dev.voicetrace.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TurnSummaryPrinterTest {

    @Test
    void decimalsAreThoseTheFormatterPrints() {
        double[] edges = {0, 0.05, 0.15, 0.25, 12.25, 999.95, 1e-7, 5e-7, 0.0000125, 1234567.891, 3.0};
        for (double value : edges) {
            assertEquals(String.format(Locale.ROOT, "%.1f", value), TurnSummaryPrinter.fixed(value, 1));
            assertEquals(String.format(Locale.ROOT, "%.6f", value), TurnSummaryPrinter.fixed(value, 6));
        }
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            // latencies in ms and costs in dollars, as the summary line holds them
            double latency = random.nextDouble() * Math.pow(10, random.nextInt(6));
            double cost = random.nextDouble() / Math.pow(10, random.nextInt(6));
            assertEquals(String.format(Locale.ROOT, "%.1f", latency), TurnSummaryPrinter.fixed(latency, 1));
            assertEquals(String.format(Locale.ROOT, "%.6f", cost), TurnSummaryPrinter.fixed(cost, 6));
        }
        assertEquals("NaN", TurnSummaryPrinter.fixed(Double.NaN, 1));
    }
}
