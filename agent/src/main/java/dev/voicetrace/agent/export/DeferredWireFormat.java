package dev.voicetrace.agent.export;

import java.util.function.Supplier;

/**
 * A {@link WireFormat} whose envelope is written when the first batch is encoded, on the exporter
 * thread: writing it needs the agent's JSON mapper, which the JVM's start-up need not wait for.
 */
public final class DeferredWireFormat implements WireFormat {

    private final String path;
    private final Supplier<String> envelopeJson;
    private final String marker;
    private volatile WireFormat format;

    private DeferredWireFormat(String path, Supplier<String> envelopeJson, String marker) {
        this.path = path;
        this.envelopeJson = envelopeJson;
        this.marker = marker;
    }

    /** As {@link WireFormat#of}, with the envelope's JSON made on first use. */
    public static WireFormat of(String path, Supplier<String> envelopeJson, String marker) {
        return new DeferredWireFormat(path, envelopeJson, marker);
    }

    private WireFormat format() {
        WireFormat made = format;
        if (made == null) {
            made = WireFormat.of(path, envelopeJson.get(), marker);
            format = made;
        }
        return made;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public byte[] prefix() {
        return format().prefix();
    }

    @Override
    public byte[] suffix() {
        return format().suffix();
    }
}
