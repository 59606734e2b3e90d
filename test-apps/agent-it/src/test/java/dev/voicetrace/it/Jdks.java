package dev.voicetrace.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the applications under test run on: the one running the tests, plus configured ones. */
final class Jdks {

    private Jdks() {}

    static List<Path> all() {
        List<Path> homes = new ArrayList<>();
        homes.add(Paths.get(System.getProperty("java.home")));
        String extra = System.getProperty("voicetrace.it.extra.jdks", "");
        for (String home : extra.split(",")) {
            if (home.isBlank()) {
                continue;
            }
            Path path = Paths.get(home.trim());
            if (!Files.isExecutable(path.resolve("bin/java"))) {
                throw new IllegalStateException("configured JDK has no bin/java: " + path);
            }
            homes.add(path);
        }
        return homes;
    }
}
