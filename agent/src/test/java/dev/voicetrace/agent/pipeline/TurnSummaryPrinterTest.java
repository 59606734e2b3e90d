package dev.voicetrace.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.Records;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.link.Turn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TurnSummaryPrinterTest {

    /** A closed turn of one transcription, in a session whose id is not ASCII. */
    private static Turn turn() {
        Linker linker = new Linker(new SequentialIds(), "sesión-ü-会話", TimeUnit.SECONDS.toNanos(30));
        linker.link(Records.stt("hola", 0, 400));
        return linker.closeAll().get(0);
    }

    /** What printing the line as text writes: a stream of its own class always gets text. */
    private static byte[] printedAsText(Turn turn, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ownClass = new PrintStream(bytes, true, charset) { };
        TurnSummaryPrinter printer = new TurnSummaryPrinter(ownClass, true);
        assertNull(printer.textCharset(), "a subclass of PrintStream is given text");
        printer.print(turn);
        return bytes.toByteArray();
    }

    @Test
    void theJvmsStderrGetsTheBytesPrintingTheLineWouldWrite() {
        Turn turn = turn();
        Charset charset = Charset.defaultCharset();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TurnSummaryPrinter printer = new TurnSummaryPrinter(new PrintStream(bytes, true, charset), true);
        assertEquals(charset, printer.textCharset(), "the stream's charset is known: the line is written as bytes");
        printer.print(turn);
        byte[] expected = printedAsText(turn, charset);
        assertArrayEquals(expected, bytes.toByteArray());
        String line = new String(expected, charset);
        assertTrue(line.startsWith("[voicetrace] turn 1 session=" + new String("sesión-ü-会話".getBytes(charset), charset)
                + " trace="), line);
        assertTrue(line.endsWith(System.lineSeparator()), line);
    }

    @Test
    void aStreamOfItsOwnClassIsGivenTheLineAsText() {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream logging = new PrintStream(bytes, true, StandardCharsets.UTF_8) {
            @Override
            public void println(Object line) {
                lines.add(String.valueOf(line));
            }
        };
        new TurnSummaryPrinter(logging).print(turn());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("[voicetrace] turn 1 session=sesión-ü-会話 trace="), lines.get(0));
        assertEquals(0, bytes.size(), "nothing written past the stream's own println");
    }

    @Test
    void anotherPlainStreamIsWrittenInItsCharsetWhereTheJdkSaysIt() {
        Turn turn = turn();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TurnSummaryPrinter printer = new TurnSummaryPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_16LE), false);
        if (Runtime.version().feature() >= 18) {
            assertEquals(StandardCharsets.UTF_16LE, printer.textCharset());
        } else {
            assertNull(printer.textCharset(), "JDK 17 does not say a stream's charset: the line goes as text");
        }
        printer.print(turn);
        assertArrayEquals(printedAsText(turn, StandardCharsets.UTF_16LE), bytes.toByteArray());
    }

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
