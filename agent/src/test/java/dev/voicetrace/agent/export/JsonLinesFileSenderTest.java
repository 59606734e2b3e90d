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
