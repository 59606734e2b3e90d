package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue of encoded items and the one background thread that sends them in batches:
 * a batch leaves when it holds {@code maxItems} items, when the next item would take it past
 * {@code maxBytes}, or {@code maxDelay} after its first item. Once a batch has its first item the
 * thread sleeps until enough items for the rest are queued or the delay ends (a batch that the
 * byte limit closes early may so leave up to {@code maxDelay} later), rather than waking for
 * every item. {@link #offer} never blocks; when the
 * queue is full the item is dropped and counted.
 *
 * <p>When a batch cannot be delivered after the sender's own retries, the circuit opens: the
 * batch is kept (or written to the spool directory, when there is one), nothing is sent for a
 * cooldown that doubles up to {@code maxCooldown}, and then the kept batch probes the server.
 * Spooled batches, including those left by an earlier run, are sent before new ones once the
 * server answers.
 */
public final class BatchingExporter {

    /** Put in the queue to wake the exporter thread at shutdown without interrupting a request. */
    private static final byte[] WAKE_UP = new byte[0];
    private static final long FIRST_COOLDOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Past the shutdown deadline, how long to wait for a request that the deadline cut short to
     * return, so that the exporter thread accounts for its batch itself.
     */
    private static final long SHUTDOWN_GRACE_MILLIS = 300;

    private final BlockingQueue<byte[]> queue;
    private final int queueCapacity;
    private final BatchSender sender;
    private final ExportStats stats;
    private final SpoolDirectory spool;
    private final int maxItems;
    private final int maxBytes;
    private final long maxDelayNanos;
    private final long requestBudgetNanos;
    private final long maxCooldownNanos;
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile boolean stopping;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private volatile boolean circuitOpen;
    private volatile Runnable beforeEachBatch;
    /** Set by the exporter thread when it stops: items it could neither deliver nor spool. */
    private volatile int undeliveredAtStop;
    /**
     * While the exporter thread waits for a started batch to fill: the queue size at which
     * {@link #offer} wakes it (0 otherwise). Items that arrive before are picked up together when
     * it wakes, not one wake-up per item.
     */
    private volatile int wakeAtQueued;
    /** Items in the request being sent right now, 0 between requests. */
    private volatile int inFlightItems;

    /** The batch in hand: taken from the queue or the spool, not yet delivered. */
    private List<byte[]> pending;
    private Path pendingSpoolFile;
    /** An item that did not fit in the previous batch: the first of the next. */
    private byte[] carried;
    private int consecutiveFailures;

    public BatchingExporter(BatchSender sender, ExportStats stats, int queueSize, int maxItems, int maxBytes,
                            long maxDelayNanos, long requestBudgetNanos) {
        this(sender, stats, null, queueSize, maxItems, maxBytes, maxDelayNanos, requestBudgetNanos,
                TimeUnit.SECONDS.toNanos(30));
    }

    public BatchingExporter(BatchSender sender, ExportStats stats, SpoolDirectory spool, int queueSize, int maxItems,
                            int maxBytes, long maxDelayNanos, long requestBudgetNanos, long maxCooldownNanos) {
        this("voicetrace-exporter", sender, stats, spool, queueSize, maxItems, maxBytes, maxDelayNanos,
                requestBudgetNanos, maxCooldownNanos);
    }

    /** A second destination's exporter (e.g. an OTLP endpoint's) runs on a thread named for it. */
    public BatchingExporter(String threadName, BatchSender sender, ExportStats stats,
                            SpoolDirectory spool, int queueSize, int maxItems, int maxBytes, long maxDelayNanos,
                            long requestBudgetNanos, long maxCooldownNanos) {
        this.queueCapacity = Math.max(1, queueSize);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.sender = sender;
        this.stats = stats;
        this.spool = spool;
        this.maxItems = Math.max(1, maxItems);
        this.maxBytes = Math.max(1024, maxBytes);
        this.maxDelayNanos = maxDelayNanos;
        this.requestBudgetNanos = requestBudgetNanos;
        this.maxCooldownNanos = Math.max(FIRST_COOLDOWN_NANOS, maxCooldownNanos);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Runs on the exporter thread before every batch, off the application's threads; it must be cheap. */
    public void beforeEachBatch(Runnable action) {
        beforeEachBatch = action;
    }

    public void start() {
        thread.start();
    }

    /** Queues an item; returns false, and counts a drop, when the queue is full. */
    public boolean offer(byte[] item) {
        if (queue.offer(item)) {
            stats.queued.incrementAndGet();
            int wakeAt = wakeAtQueued;
            if (wakeAt > 0 && queue.size() >= wakeAt) {
                synchronized (sleeper) {
                    sleeper.notifyAll();
                }
            }
            return true;
        }
        stats.droppedQueueFull.incrementAndGet();
        AgentLog.warnOnce("export-queue-full:" + sender.name(), "export queue of " + sender.name()
                + " is full; observations are being dropped (raise voicetrace.export.queue.size, or check that "
                + sender.name() + " is reachable)");
        return false;
    }

    public int queued() {
        return queue.size();
    }

    public boolean circuitOpen() {
        return circuitOpen;
    }

    /**
     * Sends what is queued and stops, waiting at most {@code timeoutNanos}. What is still
     * undelivered then is spooled when a spool directory is configured, and counted as failed
     * otherwise.
     *
     * @return the number of items neither delivered nor spooled
     */
    public synchronized int shutdown(long timeoutNanos) {
        if (stopping) {
            return 0;
        }
        stopDeadlineNanos = System.nanoTime() + timeoutNanos;
        stopping = true;
        sender.exiting();
        queue.offer(WAKE_UP);
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            if (thread.isAlive()) {
                thread.join(SHUTDOWN_GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int lost;
        if (!thread.isAlive()) {
            lost = undeliveredAtStop;
        } else {
            // Still in a request the server does not answer: the JVM is about to exit, so that
            // batch is lost with what is queued.
            int abandoned = inFlightItems;
            stats.failed.addAndGet(abandoned);
            lost = drainQueue() + abandoned;
        }
        sender.close();
        return lost;
    }

    private void run() {
        try {
            resendSpooledFromEarlierRuns();
            sendUntilStopped();
        } finally {
            if (stopping) {
                undeliveredAtStop = keepUndelivered();
            }
        }
    }

    private void sendUntilStopped() {
        while (true) {
            try {
                if (pending == null && !takeBatch()) {
                    return;
                }
                if (pending.isEmpty()) {
                    pending = null;
                    continue;
                }
                if (stopping && circuitOpen) {
                    // Known to be down: trying again would only hold up the JVM's exit.
                    throw new StopExporting();
                }
                Runnable before = beforeEachBatch;
                if (before != null) {
                    before.run();
                }
                long deadline = stopping ? stopDeadlineNanos : System.nanoTime() + requestBudgetNanos;
                inFlightItems = pending.size();
                SendOutcome outcome;
                try {
                    outcome = sender.send(new ArrayList<>(pending), deadline, stats);
                } finally {
                    inFlightItems = 0;
                }
                if (outcome == SendOutcome.UNAVAILABLE) {
                    onUnavailable();
                } else {
                    onAnswered();
                }
            } catch (StopExporting e) {
                return;
            } catch (RuntimeException e) {
                // The sender counts its own failures; this only keeps the thread alive.
                AgentLog.warnOnce("exporter-loop:" + sender.name(), "exporter error (" + sender.name() + "): " + e);
                pending = null;
            }
        }
    }

    private void onAnswered() {
        if (pendingSpoolFile != null) {
            spool.delete(pendingSpoolFile);
            pendingSpoolFile = null;
        }
        pending = null;
        consecutiveFailures = 0;
        if (circuitOpen) {
            circuitOpen = false;
            AgentLog.info(sender.name() + " answers again; export resumed");
        }
        if (spool != null && !stopping) {
            List<Path> spooled = spool.batches();
            if (!spooled.isEmpty()) {
                loadSpooled(spooled.get(0));
            }
        }
    }

    private void onUnavailable() {
        consecutiveFailures++;
        if (stopping) {
            // No time for a cooldown: keepUndelivered() spools or counts it once the thread ends.
            throw new StopExporting();
        }
        if (spool != null && pendingSpoolFile == null && spool.write(pending)) {
            stats.spooled.addAndGet(pending.size());
            pending = null;
        }
        if (!circuitOpen) {
            circuitOpen = true;
            AgentLog.warn(sender.name() + " is unavailable; export paused, new observations wait in the queue"
                    + (spool != null ? " and undelivered batches in the spool directory" : ""));
        }
        long cooldown = Math.min(maxCooldownNanos, FIRST_COOLDOWN_NANOS << Math.min(consecutiveFailures - 1, 20));
        sleep(cooldown / 2 + ThreadLocalRandom.current().nextLong(cooldown / 2 + 1));
        if (pending == null && spool != null) {
            List<Path> spooled = spool.batches();
            if (!spooled.isEmpty()) {
                loadSpooled(spooled.get(0));
            }
        }
    }

    /** Thrown out of the send loop when shutting down with an undeliverable batch in hand. */
    private static final class StopExporting extends RuntimeException {
        StopExporting() {
            super(null, null, false, false);
        }
    }

    private void loadSpooled(Path file) {
        try {
            pending = spool.read(file);
            pendingSpoolFile = file;
        } catch (IOException e) {
            AgentLog.warnOnce("spool-load", "cannot read spooled batch " + file + ": " + e);
            spool.delete(file);
        }
    }

    private void resendSpooledFromEarlierRuns() {
        if (spool == null) {
            return;
        }
        List<Path> spooled = spool.batches();
        if (!spooled.isEmpty()) {
            AgentLog.info(spooled.size() + " undelivered batches from an earlier run are sent first");
            loadSpooled(spooled.get(0));
        }
    }

    /** At shutdown: spools (or counts as failed) the batch in hand and whatever is still queued. */
    private int keepUndelivered() {
        List<byte[]> left = new ArrayList<>();
        if (pending != null && pendingSpoolFile == null) {
            left.addAll(pending);
        }
        pending = null;
        if (carried != null) {
            left.add(carried);
            carried = null;
        }
        takeQueued(left);
        return keep(left);
    }

    /** Called from shutdown while the thread is still busy: the queue's items only. */
    private int drainQueue() {
        List<byte[]> left = new ArrayList<>();
        takeQueued(left);
        return keep(left);
    }

    private void takeQueued(List<byte[]> into) {
        for (byte[] item; (item = queue.poll()) != null; ) {
            if (item != WAKE_UP) {
                into.add(item);
            }
        }
    }

    private int keep(List<byte[]> left) {
        if (left.isEmpty()) {
            return 0;
        }
        if (spool != null && spool.write(left)) {
            stats.spooled.addAndGet(left.size());
            AgentLog.info(left.size() + " undelivered observations spooled; they are sent at the next start");
            return 0;
        }
        stats.failed.addAndGet(left.size());
        return left.size();
    }

    /** Takes the next batch into {@code pending}; returns false when stopped and drained. */
    private boolean takeBatch() {
        List<byte[]> batch = new ArrayList<>();
        pending = batch;
        int bytes = 0;
        long firstItemAt = System.nanoTime();
        if (carried != null) {
            batch.add(carried);
            bytes += carried.length + 1;
            carried = null;
        }
        while (batch.size() < maxItems) {
            if (stopping && System.nanoTime() > stopDeadlineNanos) {
                return false;
            }
            byte[] item;
            if (stopping) {
                item = queue.poll();
                if (item == null) {
                    return !batch.isEmpty();
                }
            } else if (batch.isEmpty()) {
                try {
                    item = queue.poll(maxDelayNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (item == null) {
                    continue;
                }
            } else {
                item = queue.poll();
                if (item == null) {
                    long deadline = firstItemAt + maxDelayNanos;
                    if (deadline - System.nanoTime() <= 0) {
                        return true;
                    }
                    // Never more than half the queue: offers must not find it full while the thread sleeps.
                    awaitQueued(Math.min(maxItems - batch.size(), Math.max(1, queueCapacity / 2)), deadline);
                    continue;
                }
            }
            if (item == WAKE_UP) {
                continue;
            }
            if (!batch.isEmpty() && bytes + item.length > maxBytes) {
                // Too big to join: it starts the next batch, sent right after this one.
                carried = item;
                return true;
            }
            if (batch.isEmpty()) {
                firstItemAt = System.nanoTime();
            }
            batch.add(item);
            bytes += item.length + 1;
        }
        return true;
    }

    /**
     * Waits until {@code wanted} items are queued, the deadline passes or the exporter stops: a
     * batch fills with one wake-up, not one per item.
     */
    private void awaitQueued(int wanted, long deadlineNanos) {
        synchronized (sleeper) {
            wakeAtQueued = wanted;
            try {
                while (!stopping && queue.size() < wanted) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                }
            } catch (InterruptedException e) {
                // as a timeout: the caller looks at the queue and the deadline again
            } finally {
                wakeAtQueued = 0;
            }
        }
    }

    private void sleep(long nanos) {
        long until = System.nanoTime() + nanos;
        synchronized (sleeper) {
            while (!stopping) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
