package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The local default when no Langfuse is configured: each batch is appended to a JSON-lines file
 * as one line holding exactly the request body that would have been posted to Langfuse.
 */
public final class JsonLinesFileSender implements BatchSender {

    @Override
    public String name() {
        return "file " + path;
    }

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] COMMA = {','};
    private static final byte[] NEWLINE = {'\n'};

    private final Path path;
    private final WireFormat format;
    /** Only the exporter's thread sends; made on the first batch. */
    private ByteBuffer buffer;

    public JsonLinesFileSender(String path, WireFormat format) {
        this.path = Paths.get(path);
        this.format = format;
    }

    public Path path() {
        return path;
    }

    @Override
    public SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            // Opened for each batch, so that a file moved or deleted meanwhile is written anew.
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                writeLine(file, items);
            }
            stats.requests.incrementAndGet();
            stats.sent.addAndGet(items.size());
            return SendOutcome.DELIVERED;
        } catch (IOException | RuntimeException e) {
            stats.failed.addAndGet(items.size());
            AgentLog.warnOnce("file-export", "cannot write " + path + ": " + e);
            return SendOutcome.REFUSED;
        }
    }

    /**
     * The batch's request body and a newline, streamed through one reused buffer: a batch is up
     * to a megabyte, and building it as one array first would allocate and copy it twice more.
     */
    private void writeLine(FileChannel file, List<byte[]> items) throws IOException {
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        }
        buffer.clear();
        put(file, format.prefix());
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                put(file, COMMA);
            }
            put(file, items.get(i));
        }
        put(file, format.suffix());
        put(file, NEWLINE);
        drain(file);
    }

    private void put(FileChannel file, byte[] bytes) throws IOException {
        for (int from = 0; from < bytes.length; ) {
            if (!buffer.hasRemaining()) {
                drain(file);
            }
            int length = Math.min(buffer.remaining(), bytes.length - from);
            buffer.put(bytes, from, length);
            from += length;
        }
    }

    private void drain(FileChannel file) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
        buffer.clear();
    }
}
