package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/** Publishes an exporter's counters over JMX. */
public final class ExporterMetrics implements ExporterMXBean {

    public static final String OBJECT_NAME = "voicetrace:type=Exporter";

    private final ExportStats stats;
    private final BatchingExporter exporter;

    private final String objectName;
    private volatile boolean published;

    public ExporterMetrics(ExportStats stats, BatchingExporter exporter) {
        this(stats, exporter, OBJECT_NAME);
    }

    /** A second sink's counters, under their own name (e.g. {@code voicetrace:type=Exporter,sink=otlp}). */
    public ExporterMetrics(ExportStats stats, BatchingExporter exporter, String objectName) {
        this.stats = stats;
        this.exporter = exporter;
        this.objectName = objectName;
    }

    /**
     * Registers with the platform MBean server once JMX is in use in this JVM: once an MBean
     * server exists (the application's, a JMX agent's, or the one the JVM starts when a tool such
     * as JConsole attaches). The agent never creates the platform server itself: that costs a
     * short-lived application a few hundred classes and a tenth of a second or more of CPU, and,
     * done before an application server has installed its own builder, breaks that server. Called
     * from the exporter thread before each batch; once registered, a volatile read.
     */
    public void publishIfJmxInUse() {
        publishWhen(() -> !MBeanServerFactory.findMBeanServer(null).isEmpty());
    }

    void publishWhen(BooleanSupplier jmxInUse) {
        if (published) {
            return;
        }
        try {
            if (!jmxInUse.getAsBoolean()) {
                return;
            }
            published = true;
            ObjectName name = new ObjectName(objectName);
            javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (!server.isRegistered(name)) {
                server.registerMBean(this, name);
            }
        } catch (Exception | LinkageError e) {
            published = true;
            AgentLog.warnOnce("jmx", "exporter counters are not published over JMX: " + e);
        }
    }

    @Override
    public long getQueued() {
        return stats.queued.get();
    }

    @Override
    public long getSent() {
        return stats.sent.get();
    }

    @Override
    public long getFailed() {
        return stats.failed.get();
    }

    @Override
    public long getRejected() {
        return stats.rejected.get();
    }

    @Override
    public long getDropped() {
        return stats.droppedQueueFull.get() + stats.droppedCalls.get();
    }

    @Override
    public long getRetries() {
        return stats.retries.get();
    }

    @Override
    public long getRequests() {
        return stats.requests.get();
    }

    @Override
    public long getSpooled() {
        return stats.spooled.get();
    }

    @Override
    public long getTruncated() {
        return stats.truncated.get();
    }

    @Override
    public long getExtractionErrors() {
        return stats.extractionErrors.get();
    }

    @Override
    public long getLinkEvictions() {
        return stats.linkEvictions.get();
    }

    @Override
    public long getSampledOutSessions() {
        return stats.sampledOutSessions.get();
    }

    @Override
    public long getRedactions() {
        return stats.redactions.get();
    }

    @Override
    public long getSdkDrift() {
        return dev.voicetrace.agent.capture.SdkMembers.driftCount();
    }

    @Override
    public int getQueueDepth() {
        return exporter.queued();
    }

    @Override
    public boolean isCircuitOpen() {
        return exporter.circuitOpen();
    }
}
