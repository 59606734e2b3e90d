package dev.voicetrace.agent.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The circuit, the spool directory and the JMX view of the exporter. */
class ExporterResilienceTest {

    private static final long DELAY = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long BUDGET = TimeUnit.SECONDS.toNanos(5);
    private static final long SHUTDOWN = TimeUnit.SECONDS.toNanos(20);
    private static final long MAX_COOLDOWN = TimeUnit.MILLISECONDS.toNanos(200);

    private final ExportStats stats = new ExportStats();

    /** Unavailable for its first {@code failures} calls, then delivers and records every batch. */
    static final class RecoveringSender implements BatchSender {
        final List<List<byte[]>> delivered = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        RecoveringSender(int failures) {
            this.failures = failures;
        }

        @Override
        public SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
            if (calls.incrementAndGet() <= failures) {
                return SendOutcome.UNAVAILABLE;
            }
            delivered.add(items);
            stats.sent.addAndGet(items.size());
            return SendOutcome.DELIVERED;
        }

        int deliveredItems() {
            synchronized (delivered) {
                return delivered.stream().mapToInt(List::size).sum();
            }
        }
    }

    @Test
    void anUnavailableServerOpensTheCircuitAndTheKeptBatchIsDeliveredOnceItRecovers() throws Exception {
        RecoveringSender sender = new RecoveringSender(3);
        BatchingExporter exporter = new BatchingExporter(sender, stats, null, 100, 10, 1_000_000, DELAY, BUDGET,
                MAX_COOLDOWN);
        exporter.start();
        exporter.offer(ExportFixtures.sized(100, 1));
        exporter.offer(ExportFixtures.sized(100, 2));

        awaitTrue(() -> sender.calls.get() >= 1);
        awaitTrue(exporter::circuitOpen);
        exporter.offer(ExportFixtures.sized(100, 3));

        awaitTrue(() -> sender.deliveredItems() == 3);
        assertFalse(exporter.circuitOpen(), "the circuit closes once the server answers");
        assertEquals(0, exporter.shutdown(SHUTDOWN));
        assertEquals(3, stats.sent.get());
        assertEquals(0, stats.failed.get());
        assertArrayEquals(ExportFixtures.sized(100, 1), sender.delivered.get(0).get(0), "the kept batch goes first");
        assertTrue(sender.calls.get() >= 4, "it probed again after each cooldown");
    }

    @Test
    void withoutASpoolWhatCannotBeDeliveredByShutdownIsCountedAsFailed() {
        RecoveringSender sender = new RecoveringSender(Integer.MAX_VALUE);
        BatchingExporter exporter = new BatchingExporter(sender, stats, null, 100, 10, 1_000_000, DELAY, BUDGET,
                MAX_COOLDOWN);
        exporter.start();
        for (int i = 0; i < 5; i++) {
            exporter.offer(ExportFixtures.sized(100, i));
        }
        awaitTrue(exporter::circuitOpen);
        assertEquals(5, exporter.shutdown(TimeUnit.SECONDS.toNanos(2)));
        assertEquals(5, stats.failed.get());
        assertEquals(0, stats.sent.get());
    }

    @Test
    void atShutdownWithTheCircuitOpenNothingIsSentAgain() {
        RecoveringSender sender = new RecoveringSender(Integer.MAX_VALUE);
        // A cooldown far longer than any shutdown: only the exit can end it.
        BatchingExporter exporter = new BatchingExporter(sender, stats, null, 100, 10, 1_000_000, DELAY, BUDGET,
                TimeUnit.HOURS.toNanos(1));
        exporter.start();
        for (int i = 0; i < 3; i++) {
            exporter.offer(ExportFixtures.sized(100, i));
        }
        awaitTrue(exporter::circuitOpen);
        int callsBeforeShutdown = sender.calls.get();
        assertEquals(3, exporter.shutdown(TimeUnit.SECONDS.toNanos(20)));
        assertEquals(callsBeforeShutdown, sender.calls.get(), "Langfuse known down: no attempt at exit");
        assertEquals(3, stats.failed.get());
    }

    @Test
    void undeliveredBatchesAreSpooledAndSentFirstAtTheNextStart(@TempDir Path directory) {
        SpoolDirectory spool = new SpoolDirectory(directory, "otlp", 10_000_000);
        RecoveringSender down = new RecoveringSender(Integer.MAX_VALUE);
        BatchingExporter first = new BatchingExporter(down, stats, spool, 100, 2, 1_000_000, DELAY, BUDGET,
                MAX_COOLDOWN);
        first.start();
        for (int i = 0; i < 5; i++) {
            first.offer(ExportFixtures.sized(100, i));
        }
        awaitTrue(() -> stats.spooled.get() >= 2);
        assertEquals(0, first.shutdown(TimeUnit.SECONDS.toNanos(2)), "nothing is lost with a spool");
        assertEquals(0, stats.failed.get());
        assertEquals(5, stats.spooled.get());
        assertFalse(spool.batches().isEmpty());

        ExportStats next = new ExportStats();
        RecoveringSender up = new RecoveringSender(0);
        BatchingExporter second = new BatchingExporter(up, next, spool, 100, 2, 1_000_000, DELAY, BUDGET,
                MAX_COOLDOWN);
        second.start();
        awaitTrue(() -> up.deliveredItems() == 5);
        assertEquals(0, second.shutdown(SHUTDOWN));
        assertTrue(spool.batches().isEmpty(), "delivered batches leave the spool");
        List<byte[]> all = new ArrayList<>();
        up.delivered.forEach(all::addAll);
        for (int i = 0; i < 5; i++) {
            byte[] expected = ExportFixtures.sized(100, i);
            assertTrue(all.stream().anyMatch(item -> java.util.Arrays.equals(item, expected)), "item " + i);
        }
    }

    @Test
    void aFullSpoolFallsBackToCountingFailures(@TempDir Path directory) {
        SpoolDirectory spool = new SpoolDirectory(directory, "otlp", 150);
        BatchingExporter exporter = new BatchingExporter(new RecoveringSender(Integer.MAX_VALUE), stats, spool, 100,
                1, 1_000_000, DELAY, BUDGET, MAX_COOLDOWN);
        exporter.start();
        exporter.offer(ExportFixtures.sized(100, 1));
        exporter.offer(ExportFixtures.sized(100, 2));
        awaitTrue(() -> stats.spooled.get() == 1);
        assertEquals(1, exporter.shutdown(TimeUnit.SECONDS.toNanos(2)));
        assertEquals(1, stats.spooled.get());
        assertEquals(1, stats.failed.get());
    }

    @Test
    void countersAreReadableOverJmxOnceJmxIsInUse() throws Exception {
        BatchingExporter exporter = new BatchingExporter(new RecoveringSender(0), stats, null, 10, 1, 1_000_000,
                DELAY, BUDGET, MAX_COOLDOWN);
        stats.sent.set(7);
        stats.droppedQueueFull.set(2);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(ExporterMetrics.OBJECT_NAME);
        ExporterMetrics metrics = new ExporterMetrics(stats, exporter);

        metrics.publishWhen(() -> false);
        assertFalse(server.isRegistered(name), "not published while no MBean server is in use");
        // The platform server exists now (this test created it): JMX is in use.
        metrics.publishIfJmxInUse();
        try {
            assertEquals(7L, server.getAttribute(name, "Sent"));
            assertEquals(2L, server.getAttribute(name, "Dropped"));
            assertEquals(false, server.getAttribute(name, "CircuitOpen"));
        } finally {
            server.unregisterMBean(name);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 20 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
