package dev.voicetrace.agent.project;

import dev.voicetrace.agent.link.IdGenerator;
import java.util.function.LongSupplier;

/** What a projection needs besides the data: naming, environment, and injected ids and clock. */
public final class ProjectionContext {

    public final String serviceName;
    public final String environment;
    public final String release;
    public final String agentVersion;
    public final IdGenerator ids;
    public final LongSupplier epochNanosClock;

    public ProjectionContext(String serviceName, String environment, String release, String agentVersion,
                             IdGenerator ids, LongSupplier epochNanosClock) {
        this.serviceName = serviceName;
        this.environment = environment;
        this.release = release;
        this.agentVersion = agentVersion;
        this.ids = ids;
        this.epochNanosClock = epochNanosClock;
    }
}
