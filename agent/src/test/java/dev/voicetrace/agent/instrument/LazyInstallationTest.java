package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyInstallationTest {

    private static byte[] bytesOf(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static LazyInstallation okHttpOnly(CompletableFuture<Void> ready) {
        return new LazyInstallation(ready).add("okhttp", LibraryClassPrefixes.of("okhttp"),
                List.of(new OkHttpInstrumentation("test.key")));
    }

    @Test
    void aLibraryIsBuiltOnlyWhenItsFirstClassLoads() throws Exception {
        LazyInstallation installation = okHttpOnly(CompletableFuture.completedFuture(null));
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        Module module = LazyInstallationTest.class.getModule();
        ClassLoader loader = LazyInstallationTest.class.getClassLoader();

        assertNull(installation.transform(module, loader, "com/example/Unrelated", null, null, bytes));
        assertNull(installation.transform(module, loader, "okhttp3/OkHttpClient", null, null, bytes),
                "outside the library's prefixes");
        assertFalse(installation.installed("okhttp"), "nothing of Byte Buddy is built for unrelated classes");

        // A class under the prefix that the module does not intercept: built, and left unchanged.
        assertNull(installation.transform(module, loader, "okhttp3/internal/Util", null, null, bytes));
        assertTrue(installation.installed("okhttp"));
    }

    @Test
    void theFirstClassWaitsForTheStartUpWorkItDependsOn() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        LazyInstallation installation = okHttpOnly(ready);
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        Thread loading = new Thread(() -> installation.transform(LazyInstallationTest.class.getModule(),
                LazyInstallationTest.class.getClassLoader(), "okhttp3/internal/Util", null, null, bytes));
        loading.start();
        loading.join(200);
        assertTrue(loading.isAlive(), "still waiting for the start-up work");
        assertFalse(installation.installed("okhttp"));
        ready.complete(null);
        loading.join(60_000);
        assertTrue(installation.installed("okhttp"));
    }

    @Test
    void aWatchedClassIsReportedOnce() {
        AtomicInteger seen = new AtomicInteger();
        LazyInstallation installation = new LazyInstallation(CompletableFuture.completedFuture(null))
                .onLoad("org.slf4j.MDC", seen::incrementAndGet);
        installation.transform(null, null, "org/slf4j/Logger", null, null, new byte[0]);
        installation.transform(null, null, "org/slf4j/MDC", null, null, new byte[0]);
        installation.transform(null, null, "org/slf4j/MDC", null, null, new byte[0]);
        assertEquals(1, seen.get());
    }

    @Test
    void everySwitchableLibraryHasPrefixes() {
        for (String library : new String[] {"openai", "anthropic", "genai", "bedrock", "langchain4j", "springai",
            "polly", "googlespeech", "transcribe", "okhttp"}) {
            assertTrue(LibraryClassPrefixes.of(library).length > 0, library);
        }
    }
}
