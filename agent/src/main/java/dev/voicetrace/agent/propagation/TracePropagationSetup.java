package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.bootstrap.ClientCallListener;
import dev.voicetrace.bootstrap.TracePropagation;
import java.util.ArrayList;
import java.util.List;

/** Switches trace context across services on: turn ids fixed at their start, headers out, requests in. */
public final class TracePropagationSetup {

    private TracePropagationSetup() {}

    /**
     * @param attributeCount how many call attributes a context carries (the user id's slot first)
     * @return the listener the hooks call: {@code tracker}, with trace context added to outgoing HTTP calls
     */
    public static ClientCallListener start(AgentConfig config, CallTracker tracker, int attributeCount,
                                           List<String> providerHosts) {
        try {
            List<String> known = new ArrayList<>(providerHosts);
            known.add(PropagationHosts.hostOf(config.langfuseHost));
            PropagationHosts hosts = PropagationHosts.of(config.propagation.hosts, config.propagation.exclude,
                    known.toArray(new String[0]));
            tracker.identifyTurns(new OpenTelemetrySpans());
            TracePropagation.enable(true, true, hosts, true, attributeCount);
            return new PropagatingCallListener(tracker);
        } catch (RuntimeException | LinkageError e) {
            TracePropagation.disable();
            AgentLog.warn("trace context across services is not available (" + e + ")");
            return tracker;
        }
    }
}
