package dev.voicetrace.agent.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With two sinks, the exporter's own lines say which one they are about. */
class SinkNamesTest {

    @Test
    void anUnavailableSinkIsNamedInTheExportersMessages() throws Exception {
        ExportStats stats = new ExportStats();
        BatchSender neverThere = new BatchSender() {
            @Override
            public SendOutcome send(java.util.List<byte[]> items, long deadlineNanos, ExportStats counted) {
                return SendOutcome.UNAVAILABLE;
            }

            @Override
            public String name() {
                return "OTLP endpoint http://collector:4318/v1/traces";
            }
        };
        BatchingExporter exporter = new BatchingExporter("voicetrace-exporter-otlp", neverThere, stats, null, 1, 1, 1024, TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exporter.start();
            exporter.offer(new byte[] {'{', '}'});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!exporter.circuitOpen() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // The queue holds one item: the next ones find it full while the first waits.
            exporter.offer(new byte[] {'{', '}'});
            exporter.offer(new byte[] {'{', '}'});
            exporter.shutdown(TimeUnit.MILLISECONDS.toNanos(200));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("OTLP endpoint http://collector:4318/v1/traces is unavailable; export paused"), log);
        assertTrue(log.contains("export queue of OTLP endpoint http://collector:4318/v1/traces is full"), log);
        assertFalse(log.contains("Langfuse"), "nothing about Langfuse, which this sink is not: " + log);
    }
}
