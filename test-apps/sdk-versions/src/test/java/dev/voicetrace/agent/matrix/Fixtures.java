package dev.voicetrace.agent.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The agent's own wire-format fixtures (agent/src/test/resources), as text. */
public final class Fixtures {

    private Fixtures() {}

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-blank lines of a JSON-lines fixture. */
    public static List<String> lines(String path) {
        List<String> lines = new ArrayList<>();
        for (String line : text(path).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
