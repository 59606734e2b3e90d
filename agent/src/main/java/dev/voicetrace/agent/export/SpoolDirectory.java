package dev.voicetrace.agent.export;

import dev.voicetrace.agent.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches that could not be delivered, kept on disk so that an outage (or a deploy during one)
 * loses nothing: one file per batch, one encoded item per line, named so that they sort oldest
 * first and are only re-sent in the wire format they were made for. Bounded in total bytes.
 */
public final class SpoolDirectory {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path directory;
    private final String formatTag;
    private final long maxBytes;

    public SpoolDirectory(Path directory, String formatTag, long maxBytes) {
        this.directory = directory;
        this.formatTag = formatTag;
        this.maxBytes = maxBytes;
    }

    /** Writes a batch; returns false when the directory is full or unwritable. */
    public boolean write(List<byte[]> items) {
        long size = items.size();
        for (byte[] item : items) {
            size += item.length;
        }
        try {
            Files.createDirectories(directory);
            if (usedBytes() + size > maxBytes) {
                AgentLog.warnOnce("spool-full", "spool directory " + directory + " is full (" + maxBytes
                        + " bytes); batches that cannot be delivered are now lost");
                return false;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
            for (byte[] item : items) {
                out.write(item);
                out.write('\n');
            }
            String name = String.format("batch-%019d-%06d.%s.jsonl", System.currentTimeMillis(),
                    SEQUENCE.incrementAndGet() % 1_000_000, formatTag);
            Path temporary = directory.resolve(name + ".tmp");
            Files.write(temporary, out.toByteArray());
            // Renamed into place so that a crash never leaves a half-written batch to re-send.
            Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("spool-write", "cannot write to spool directory " + directory + ": " + e);
            return false;
        }
    }

    /** Spooled batches of this wire format, oldest first. */
    public List<Path> batches() {
        if (!Files.isDirectory(directory)) {
            return Collections.emptyList();
        }
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "batch-*." + formatTag + ".jsonl")) {
            files.forEach(result::add);
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("spool-read", "cannot read spool directory " + directory + ": " + e);
        }
        Collections.sort(result);
        return result;
    }

    public List<byte[]> read(Path batch) throws IOException {
        List<byte[]> items = new ArrayList<>();
        byte[] content = Files.readAllBytes(batch);
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                if (i > start) {
                    items.add(java.util.Arrays.copyOfRange(content, start, i));
                }
                start = i + 1;
            }
        }
        return items;
    }

    public void delete(Path batch) {
        try {
            Files.deleteIfExists(batch);
        } catch (IOException e) {
            AgentLog.warnOnce("spool-delete", "cannot delete spooled batch " + batch + ": " + e);
        }
    }

    private long usedBytes() throws IOException {
        long used = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "batch-*")) {
            for (Path file : files) {
                used += Files.size(file);
            }
        }
        return used;
    }
}
