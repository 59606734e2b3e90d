package dev.voicetrace.agent.config;

/** W3C trace context across services: whether it is on, and which hosts requests carry it to. */
public final class PropagationOptions {

    /** {@code voicetrace.propagation.enabled}: read incoming and add outgoing trace context. */
    public final boolean enabled;
    /** {@code voicetrace.propagation.hosts}: comma-separated allow-list, {@code *} for every host. */
    public final String hosts;
    /** {@code voicetrace.propagation.exclude}: hosts never sent trace context, beside the vendors' and Langfuse. */
    public final String exclude;

    PropagationOptions(OptionReader options) {
        enabled = options.bool("voicetrace.propagation.enabled", true);
        hosts = options.text("voicetrace.propagation.hosts", "*");
        exclude = options.text("voicetrace.propagation.exclude");
    }
}
