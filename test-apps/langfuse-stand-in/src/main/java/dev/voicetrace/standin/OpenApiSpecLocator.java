package dev.voicetrace.standin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds Langfuse's {@code openapi.yml}. The spec is not copied into this repository: it lives in
 * {@code shared/langfuse/} beside the repository root (locally and in CI alike), so tests started
 * from any module directory find it by walking up from the working directory.
 */
final class OpenApiSpecLocator {

    /** System property that names the spec file explicitly. */
    static final String PROPERTY = "langfuse.openapi";

    private static final Path RELATIVE = Paths.get("shared", "langfuse", "openapi.yml");

    private OpenApiSpecLocator() {
    }

    static Path locate() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured).toAbsolutePath().normalize();
            if (Files.isRegularFile(path)) {
                return path;
            }
            // A stale or mis-computed property should not hide a spec we can still find.
            tried.add(path);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : candidatesFor(dir)) {
                tried.add(candidate);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Langfuse openapi.yml not found; set -D" + PROPERTY
                + "=/path/to/openapi.yml. Looked at: " + tried);
    }

    private static List<Path> candidatesFor(Path dir) {
        List<Path> candidates = new ArrayList<>(2);
        candidates.add(dir.resolve(RELATIVE));
        if (dir.getParent() != null) {
            candidates.add(dir.getParent().resolve(RELATIVE).normalize());
        }
        return candidates;
    }
}
