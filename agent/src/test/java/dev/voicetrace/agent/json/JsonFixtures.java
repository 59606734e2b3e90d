package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Recorded-style provider payloads kept as test resources, read as JSON. */
public final class JsonFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFixtures() {}

    /** One JSON document, e.g. {@code json("/openai/chat-response.json")}. */
    public static JsonNode json(String resource) {
        return readTree(bytesOf(resource));
    }

    /** One JSON document per non-blank line: a recorded stream. */
    public static List<JsonNode> jsonLines(String resource) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(bytesOf(resource), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(readTree(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return lines;
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytesOf(String resource) {
        try (InputStream in = JsonFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
