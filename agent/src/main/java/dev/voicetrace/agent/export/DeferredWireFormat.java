package dev.voicetrace.agent.export;

import java.util.function.Supplier;

/**
 * A {@link WireFormat} whose envelope is written when the first batch is encoded, on the exporter
 * thread: writing it needs the agent's JSON mapper, which the JVM's start-up need not wait for.
 */
public final class DeferredWireFormat implements WireFormat {

    private final String path;
    private final Supplier<WireFormat> written;
    private volatile WireFormat format;

    private DeferredWireFormat(String path, Supplier<WireFormat> written) {
        this.path = path;
        this.written = written;
    }

    /** The format {@code written} makes, made on first use; its path is known at once. */
    public static WireFormat of(String path, Supplier<WireFormat> written) {
        return new DeferredWireFormat(path, written);
    }

    private WireFormat format() {
        WireFormat made = format;
        if (made == null) {
            made = written.get();
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
