package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.io.IOException;
import java.io.OutputStream;
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

    private final Path path;
    private final WireFormat format;

    public JsonLinesFileSender(String path, WireFormat format) {
        this.path = Paths.get(path);
        this.format = format;
    }

    public Path path() {
        return path;
    }

    @Override
    public SendOutcome send(List<byte[]> items, long deadlineNanos, ExportStats stats) {
        byte[] line = format.encode(items);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(line);
                out.write('\n');
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
}
