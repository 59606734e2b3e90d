package dev.voicetrace.agent.export;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A request body around a batch of pre-encoded JSON items. Items are encoded once, when queued,
 * so batching by bytes is exact and assembling a request is a copy.
 */
public interface WireFormat {

    /** The path below the Langfuse host, e.g. {@code /api/public/otel/v1/traces}. */
    String path();

    byte[] prefix();

    byte[] suffix();

    default byte[] encode(List<byte[]> items) {
        int size = prefix().length + suffix().length + items.size();
        for (byte[] item : items) {
            size += item.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(prefix());
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes(suffix());
        return out.toByteArray();
    }

    /** Bytes a batch adds besides its items. */
    default int overhead() {
        return prefix().length + suffix().length;
    }

    /** Items between {@code prefix} and {@code suffix}, comma-separated, sent to {@code path}. */
    static WireFormat around(String path, String prefixJson, String suffixJson) {
        byte[] prefix = prefixJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] suffix = suffixJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new WireFormat() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public byte[] prefix() {
                return prefix;
            }

            @Override
            public byte[] suffix() {
                return suffix;
            }
        };
    }
}
