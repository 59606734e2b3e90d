package dev.voicetrace.agent.export;

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

    /** The request body: one array of exactly its size, each item copied into it once. */
    default byte[] encode(List<byte[]> items) {
        byte[] prefix = prefix();
        byte[] suffix = suffix();
        int size = prefix.length + suffix.length + Math.max(0, items.size() - 1);
        for (byte[] item : items) {
            size += item.length;
        }
        byte[] body = new byte[size];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        int at = prefix.length;
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] item = items.get(i);
            System.arraycopy(item, 0, body, at, item.length);
            at += item.length;
        }
        System.arraycopy(suffix, 0, body, at, suffix.length);
        return body;
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
