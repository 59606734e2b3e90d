package dev.voicetrace.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSenderTest {

    @Test
    void writesOneValidOtlpRequestPerLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("nested/out/voicetrace-events.jsonl");
        JsonLinesFileSender sender = new JsonLinesFileSender(file.toString(), ExportFixtures.otlpFormat());
        ExportStats stats = new ExportStats();

        sender.send(ExportFixtures.spans(3), Long.MAX_VALUE, stats);
        sender.send(ExportFixtures.spans(1), Long.MAX_VALUE, stats);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        LangfuseSchema schema = LangfuseSchema.load();
        for (String line : lines) {
            schema.assertValidOtlpRequest(line);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals(3, first.at("/resourceSpans/0/scopeSpans/0/spans").size());
        assertEquals(1, json.readTree(lines.get(1)).at("/resourceSpans/0/scopeSpans/0/spans").size());
        assertEquals(4, stats.sent.get());
        assertEquals(2, stats.requests.get());
        assertEquals(0, stats.failed.get());
    }

    @Test
    void aBatchLargerThanTheWriteBufferIsWrittenWholeAndInOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        WireFormat format = ExportFixtures.otlpFormat();
        JsonLinesFileSender sender = new JsonLinesFileSender(file.toString(), format);
        // Items that straddle the 64 KB buffer's ends, one larger than the buffer itself.
        List<byte[]> items = List.of(item('a', 40_000), item('b', 70_000), item('c', 150_000), item('d', 5));
        sender.send(items, Long.MAX_VALUE, new ExportStats());
        sender.send(items.subList(3, 4), Long.MAX_VALUE, new ExportStats());

        String body = new String(format.prefix(), StandardCharsets.UTF_8) + '"' + "a".repeat(39_998) + "\",\""
                + "b".repeat(69_998) + "\",\"" + "c".repeat(149_998) + "\",\"ddd\"" + new String(format.suffix(), StandardCharsets.UTF_8);
        String lone = new String(format.prefix(), StandardCharsets.UTF_8) + "\"ddd\"" + new String(format.suffix(), StandardCharsets.UTF_8);
        String written = Files.readString(file);
        assertTrue((body + "\n" + lone + "\n").equals(written), "the file holds each batch's request body, then a newline");
        assertTrue(java.util.Arrays.equals(body.getBytes(StandardCharsets.UTF_8), format.encode(items)),
                "the request body is the same built in one array");
    }

    /** A JSON string item of {@code length} bytes in all. */
    private static byte[] item(char filler, int length) {
        return ('"' + String.valueOf(filler).repeat(length - 2) + '"').getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ingestionBatchesAreValidToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        new JsonLinesFileSender(file.toString(), ExportFixtures.ingestionFormat())
                .send(ExportFixtures.ingestionEvents(2), Long.MAX_VALUE, new ExportStats());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        LangfuseSchema.load().assertValidIngestionRequest(lines.get(0));
    }

    @Test
    void anUnwritablePathCountsFailures(@TempDir Path dir) {
        ExportStats stats = new ExportStats();
        // The path is a directory: it cannot be opened for appending.
        new JsonLinesFileSender(dir.toString(), ExportFixtures.otlpFormat())
                .send(ExportFixtures.spans(2), Long.MAX_VALUE, stats);
        assertEquals(2, stats.failed.get());
        assertEquals(0, stats.sent.get());
        assertTrue(Files.isDirectory(dir));
    }
}
