package dev.voicetrace.agent.pipeline;

import dev.voicetrace.agent.link.Turn;
import dev.voicetrace.agent.link.TurnMetrics;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * One line per closed turn on stderr, so the agent tells something useful with no backend. Used by
 * the processing thread alone.
 */
public final class TurnSummaryPrinter {

    private final PrintStream out;
    /** Whether {@link #out} is the JVM's own stderr, whose charset JDK 17 does not say. */
    private final boolean jvmStderr;
    private boolean charsetLooked;
    /** The charset {@link #out} encodes text with, when known; null: the line is printed as text. */
    private Charset textCharset;

    public TurnSummaryPrinter(PrintStream out) {
        this(out, out == System.err);
    }

    TurnSummaryPrinter(PrintStream out, boolean jvmStderr) {
        this.out = out;
        this.jvmStderr = jvmStderr;
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
        Charset charset = textCharset();
        if (charset == null) {
            out.println(line);
            return;
        }
        // The bytes println would write, encoded here in one step: at a few turns a second the
        // stream's character encoder stays interpreted, and going through it was two thirds of
        // the line's cost on the processing thread in a voice application.
        byte[] bytes = line.append(System.lineSeparator()).toString().getBytes(charset);
        out.write(bytes, 0, bytes.length);
    }

    /**
     * The charset {@link #out} turns text into bytes with, where writing the bytes is exactly what
     * printing the text does: the JDK's own {@code PrintStream} (a subclass may do something else
     * with text, such as hand lines to a logger). JDK 18 and later say a stream's charset; on JDK 17
     * it is known for the JVM's stderr ({@code sun.stderr.encoding}, else the default charset).
     */
    Charset textCharset() {
        if (!charsetLooked) {
            charsetLooked = true;
            if (out.getClass() == PrintStream.class) {
                try {
                    textCharset = (Charset) PrintStream.class.getMethod("charset").invoke(out);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    textCharset = jvmStderr ? stderrCharsetBeforeJdk18() : null;
                }
            }
        }
        return textCharset;
    }

    private static Charset stderrCharsetBeforeJdk18() {
        String name = System.getProperty("sun.stderr.encoding");
        if (name == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            // The JVM fell back to the default charset too.
            return Charset.defaultCharset();
        }
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
