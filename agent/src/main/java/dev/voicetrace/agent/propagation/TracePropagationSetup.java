package dev.voicetrace.agent.propagation;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.bootstrap.ClientCallListener;
import dev.voicetrace.bootstrap.TracePropagation;
import java.lang.instrument.Instrumentation;

/** Switches trace context across services on: turn ids fixed at their start, headers out, requests in. */
public final class TracePropagationSetup {

    private TracePropagationSetup() {}

    /**
     * @param attributeCount how many call attributes a context carries (the user id's slot first)
     * @return the listener the hooks call: {@code tracker}, with trace context added to outgoing HTTP calls
     */
    public static ClientCallListener start(Instrumentation instrumentation, AgentConfig config, CallTracker tracker,
                                           int attributeCount) {
        try {
            PropagationHosts hosts = PropagationHosts.of(config.propagation.hosts, config.propagation.exclude,
                    config.openaiHosts, config.deepgramHosts, config.elevenlabsHosts, config.assemblyaiHosts,
                    PropagationHosts.hostOf(config.langfuseHost));
            tracker.identifyTurns(new OpenTelemetrySpans());
            TracePropagation.enable(true, true, hosts, true, attributeCount);
            PropagationInstrumenter.install(instrumentation);
            return new PropagatingCallListener(tracker);
        } catch (RuntimeException | LinkageError e) {
            TracePropagation.disable();
            AgentLog.warn("trace context across services is not available (" + e + ")");
            return tracker;
        }
    }
}
