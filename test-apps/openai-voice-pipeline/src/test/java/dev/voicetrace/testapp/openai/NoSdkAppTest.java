package dev.voicetrace.testapp.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoSdkAppTest {

    @Test
    void countsPrimes() {
        assertEquals(25, NoSdkApp.countPrimesBelow(100));
        assertEquals(17984, NoSdkApp.countPrimesBelow(NoSdkApp.LIMIT));
    }

    @Test
    void classFileDoesNotReferenceTheSdk() throws Exception {
        byte[] bytes;
        try (InputStream in = NoSdkApp.class.getResourceAsStream("NoSdkApp.class")) {
            bytes = in.readAllBytes();
        }
        String constants = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(constants.contains("com/openai"));
        assertFalse(constants.contains("com/fasterxml"));
        assertFalse(constants.contains("okhttp"));
    }

    @Test
    void runsWithOnlyItsOwnClassOnTheClassPath(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("dev/voicetrace/testapp/openai"));
        try (InputStream in = NoSdkApp.class.getResourceAsStream("NoSdkApp.class")) {
            Files.copy(in, pkg.resolve("NoSdkApp.class"));
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", dir.toString(), NoSdkApp.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertEquals("no-sdk app done: 17984\nhttp client threads: 0", out.trim().replace("\r\n", "\n"));
    }
}
