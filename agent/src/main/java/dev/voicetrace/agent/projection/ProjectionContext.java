package dev.voicetrace.agent.projection;

import dev.voicetrace.agent.link.IdGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/** What a projection needs besides the data: naming, environment, and injected ids and clock. */
public final class ProjectionContext {

    public final String serviceName;
    public final String environment;
    public final String release;
    public final String agentVersion;
    public final IdGenerator ids;
    public final LongSupplier epochNanosClock;
    /** Static tags put on every trace ({@code voicetrace.tags}). */
    public final List<String> tags;

    public ProjectionContext(String serviceName, String environment, String release, String agentVersion,
                             IdGenerator ids, LongSupplier epochNanosClock) {
        this(serviceName, environment, release, agentVersion, ids, epochNanosClock, Collections.emptyList());
    }

    public ProjectionContext(String serviceName, String environment, String release, String agentVersion,
                             IdGenerator ids, LongSupplier epochNanosClock, List<String> tags) {
        this.tags = Collections.unmodifiableList(new ArrayList<>(tags));
        this.serviceName = serviceName;
        this.environment = environment;
        this.release = release;
        this.agentVersion = agentVersion;
        this.ids = ids;
        this.epochNanosClock = epochNanosClock;
    }
}
