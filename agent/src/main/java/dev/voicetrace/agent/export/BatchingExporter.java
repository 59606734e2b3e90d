package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue of encoded items and the one background thread that sends them in batches:
 * a batch leaves when it holds {@code maxItems} items, when the next item would take it past
 * {@code maxBytes}, or {@code maxDelay} after its first item. {@link #offer} never blocks; when the
 * queue is full the item is dropped and counted.
 */
public final class BatchingExporter {

    /** Put in the queue to wake the exporter thread at shutdown without interrupting a request. */
    private static final byte[] WAKE_UP = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final BatchSender sender;
    private final ExportStats stats;
    private final int maxItems;
    private final int maxBytes;
    private final long maxDelayNanos;
    private final long requestBudgetNanos;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;

    public BatchingExporter(BatchSender sender, ExportStats stats, int queueSize, int maxItems, int maxBytes,
                            long maxDelayNanos, long requestBudgetNanos) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
        this.sender = sender;
        this.stats = stats;
        this.maxItems = Math.max(1, maxItems);
        this.maxBytes = Math.max(1024, maxBytes);
        this.maxDelayNanos = maxDelayNanos;
        this.requestBudgetNanos = requestBudgetNanos;
        this.thread = new Thread(this::run, "voicetrace-exporter");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues an item; returns false, and counts a drop, when the queue is full. */
    public boolean offer(byte[] item) {
        if (queue.offer(item)) {
            stats.queued.incrementAndGet();
            return true;
        }
        stats.droppedQueueFull.incrementAndGet();
        AgentLog.warnOnce("export-queue-full", "export queue is full; observations are being dropped"
                + " (raise voicetrace.export.queue.size, or check that Langfuse is reachable)");
        return false;
    }

    public int queued() {
        return queue.size();
    }

    /**
     * Sends what is queued and stops, waiting at most {@code timeoutNanos}.
     *
     * @return the number of items still undelivered when the time ran out
     */
    public synchronized int shutdown(long timeoutNanos) {
        if (stopping) {
            return queue.size();
        }
        stopDeadlineNanos = System.nanoTime() + timeoutNanos;
        stopping = true;
        queue.offer(WAKE_UP);
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.remove(WAKE_UP);
        int left = queue.size();
        if (left > 0) {
            stats.failed.addAndGet(left);
        }
        sender.close();
        return left;
    }

    private void run() {
        List<byte[]> batch = new ArrayList<>();
        while (true) {
            try {
                batch.clear();
                if (!fill(batch)) {
                    return;
                }
                if (!batch.isEmpty()) {
                    long deadline = stopping ? stopDeadlineNanos : System.nanoTime() + requestBudgetNanos;
                    sender.send(new ArrayList<>(batch), deadline, stats);
                }
            } catch (RuntimeException e) {
                // The sender counts its own failures; this only keeps the thread alive.
                AgentLog.warnOnce("exporter-loop", "exporter error: " + e);
            }
        }
    }

    /** Takes items into {@code batch}; returns false when the exporter has stopped and is drained. */
    private boolean fill(List<byte[]> batch) {
        int bytes = 0;
        long firstItemAt = 0;
        while (batch.size() < maxItems) {
            if (stopping && System.nanoTime() > stopDeadlineNanos) {
                // Taken from the queue but never sent: lost, and counted like the items left queued.
                stats.failed.addAndGet(batch.size());
                return false;
            }
            byte[] item;
            if (stopping) {
                item = queue.poll();
                if (item == null) {
                    return !batch.isEmpty();
                }
            } else {
                long wait = batch.isEmpty() ? maxDelayNanos : maxDelayNanos - (System.nanoTime() - firstItemAt);
                if (wait <= 0) {
                    return true;
                }
                try {
                    item = queue.poll(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (item == null) {
                    if (batch.isEmpty()) {
                        continue;
                    }
                    return true;
                }
            }
            if (item == WAKE_UP) {
                continue;
            }
            if (!batch.isEmpty() && bytes + item.length > maxBytes) {
                // Too big to join this batch: put it back at the head by sending the batch first.
                sendNow(batch);
                batch.clear();
                bytes = 0;
            }
            if (batch.isEmpty()) {
                firstItemAt = System.nanoTime();
            }
            batch.add(item);
            bytes += item.length + 1;
        }
        return true;
    }

    private void sendNow(List<byte[]> batch) {
        long deadline = stopping ? stopDeadlineNanos : System.nanoTime() + requestBudgetNanos;
        sender.send(new ArrayList<>(batch), deadline, stats);
    }
}
