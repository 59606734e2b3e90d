package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        List<InstrumentationModule> modules = List.of(new OkHttpInstrumentation("test.key"));
        return new LazyInstallation(ready).add("okhttp", LazyInstallation.prefixesOf(modules), modules);
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
        assertFalse(installation.installed("okhttp"), "no weaver is built for unrelated classes");

        // A class under the prefix that the module does not intercept: built, and left unchanged.
        assertNull(installation.transform(module, loader, "okhttp3/internal/Util", null, null, bytes));
        assertTrue(installation.installed("okhttp"));
    }

    @Test
    void aLibrarysClassesAreReadOnlyWhenAModulesNameFilterAcceptsThem() {
        LazyInstallation installation = okHttpOnly(CompletableFuture.completedFuture(null));
        byte[] notAClassFile = {1, 2, 3};
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertNull(installation.transform(null, null, "okhttp3/internal/Util", null, null, notAClassFile));
            assertEquals("", captured.toString(java.nio.charset.StandardCharsets.UTF_8),
                    "under the library's prefix but refused by name: never parsed");
            assertNull(installation.transform(null, null, "okhttp3/internal/connection/RealCall", null, null,
                    notAClassFile));
        } finally {
            System.setErr(original);
        }
        assertTrue(captured.toString(java.nio.charset.StandardCharsets.UTF_8)
                .contains("could not instrument okhttp3.internal.connection.RealCall"), captured.toString());
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
    void everyProvidersInstrumentationNamesThePrefixesItsTypesLieUnder() {
        dev.voicetrace.agent.provider.InstalledProviders installed = dev.voicetrace.agent.provider.InstalledProviders
                .install(dev.voicetrace.agent.provider.Providers.load(error -> {}),
                        new dev.voicetrace.agent.config.AgentConfig(new dev.voicetrace.agent.config.ConfigSource(
                                new java.util.Properties(), java.util.Map.of())),
                        new dev.voicetrace.agent.capture.OperationRegistry(), error -> {});
        for (InstrumentationModule module : installed.modules()) {
            // Without a prefix a library would never be installed; the integration tests show each triggers.
            assertTrue(module.classNamePrefixes().length > 0, module.name());
            assertFalse(module.typeNameFilter().matches(
                    dev.voicetrace.agent.instrument.weave.TypeShape.named(LazyInstallationTest.class.getName())),
                    module.name() + " accepts only its library's names");
        }
    }

    @Test
    void aLibraryDeclaredOnItsFirstClassIsDeclaredOnceAndOnlyThen() throws Exception {
        AtomicInteger declared = new AtomicInteger();
        LazyInstallation installation = new LazyInstallation(CompletableFuture.completedFuture(null))
                .add("okhttp", new String[] {"okhttp3.internal."}, () -> {
                    declared.incrementAndGet();
                    return List.of(new OkHttpInstrumentation("test.key"));
                })
                .add("nothing", new String[] {"com.example.nothing."}, () -> {
                    declared.incrementAndGet();
                    return List.of();
                });
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        ClassLoader loader = LazyInstallationTest.class.getClassLoader();
        assertNull(installation.transform(null, loader, "okhttp3/OkHttpClient", null, null, bytes));
        assertEquals(0, declared.get(), "a class outside the prefixes declares nothing");
        assertEquals(ClassLoadGate.Want.THIS_CLASS, installation.wants(loader, "okhttp3.internal.Util"),
                "the gate knows the library by its prefixes alone");
        assertEquals(0, declared.get());

        installation.transform(null, loader, "okhttp3/internal/Util", null, null, bytes);
        installation.transform(null, loader, "okhttp3/internal/Other", null, null, bytes);
        assertEquals(1, declared.get());
        assertTrue(installation.installed("okhttp"));

        // A library that declares nothing (its provider failed and said so) is never woven.
        assertNull(installation.transform(null, loader, "com/example/nothing/A", null, null, bytes));
        assertNull(installation.transform(null, loader, "com/example/nothing/B", null, null, bytes));
        assertEquals(2, declared.get());
        assertFalse(installation.installed("nothing"));
    }

    @Test
    void onceBuiltALibraryWantsFromTheGateOnlyTheClassesItsWeaverAcceptsByName() throws Exception {
        LazyInstallation installation = new LazyInstallation(CompletableFuture.completedFuture(null))
                .add("okhttp", new String[] {"okhttp3.internal."}, () -> List.of(new OkHttpInstrumentation("test.key")))
                .add("nothing", new String[] {"com.example.nothing."}, List::of);
        ClassLoader loader = LazyInstallationTest.class.getClassLoader();
        String realCall = "okhttp3.internal.connection.RealCall";
        assertEquals(ClassLoadGate.Want.THIS_CLASS, installation.wants(loader, "okhttp3.internal.Util"),
                "before it is built, every class under the prefixes (the first one builds it)");
        assertEquals(ClassLoadGate.Want.THIS_CLASS, installation.wants(loader, "com.example.nothing.A"));

        byte[] bytes = bytesOf(LazyInstallationTest.class);
        installation.transform(null, loader, "okhttp3/internal/Util", null, null, bytes);
        installation.transform(null, loader, "com/example/nothing/A", null, null, bytes);
        assertTrue(installation.installed("okhttp"));

        assertEquals(ClassLoadGate.Want.NOTHING, installation.wants(loader, "okhttp3.internal.Util"),
                "refused by the weaver's name filter: the hook need not come on for it");
        assertEquals(ClassLoadGate.Want.NOTHING, installation.wants(loader, "okhttp3.internal.http2.Http2Reader"));
        assertEquals(ClassLoadGate.Want.THIS_CLASS, installation.wants(loader, realCall),
                "the class the library's module weaves is still wanted");
        assertEquals(ClassLoadGate.Want.NOTHING, installation.wants(loader, "okhttp3.OkHttpClient"),
                "outside the prefixes, as before");
        assertEquals(ClassLoadGate.Want.NOTHING, installation.wants(loader, "com.example.nothing.B"),
                "a library that declared nothing wants none of its classes");
    }

    @Test
    void aLibraryDeclaredOnItsFirstClassNeedsAPrefix() {
        LazyInstallation installation = new LazyInstallation(CompletableFuture.completedFuture(null));
        assertThrows(IllegalArgumentException.class, () -> installation.add("any", new String[0], List::of));
    }

    @Test
    void aLibraryWhoseTypesCanHaveAnyNameIsBuiltOnTheFirstClassOfALoaderThatSeesIt() throws Exception {
        List<InstrumentationModule> modules = List.of(
                new dev.voicetrace.agent.realtime.jakarta.JakartaWebSocketInstrumentation("test.key"));
        LazyInstallation installation = new LazyInstallation(CompletableFuture.completedFuture(null))
                .add("jakartawebsocket", LazyInstallation.prefixesOf(modules), modules);
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        ClassLoader withoutApi = new ClassLoader(null) {};
        assertNull(installation.transform(null, withoutApi, "com/example/CallEndpoint", null, null, bytes));
        assertFalse(installation.installed("jakartawebsocket"), "a loader without the API costs nothing");

        java.net.URL someClassFile = LazyInstallationTest.class.getResource("LazyInstallationTest.class");
        ClassLoader withApi = new ClassLoader(null) {
            @Override
            protected java.net.URL findResource(String name) {
                return "jakarta/websocket/Session.class".equals(name) ? someClassFile : null;
            }
        };
        assertNull(installation.transform(null, withApi, "dev/voicetrace/agent/AgentLog", null, null, bytes));
        assertFalse(installation.installed("jakartawebsocket"), "the agent's own classes never build a library");
        installation.transform(null, withApi, "com/example/CallEndpoint", null, null, bytes);
        assertTrue(installation.installed("jakartawebsocket"), "the application's endpoint may be its first class");
    }

    @Test
    void classesTheInstallerThreadLoadsNeverBuildALibrary() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread[] installerThread = new Thread[1];
        java.util.concurrent.atomic.AtomicReference<LazyInstallation> installation = new java.util.concurrent.atomic.AtomicReference<>();
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        // The installer loads a class under a library's prefix before its own work is done: were it
        // to build the library, it would wait for itself.
        installerThread[0] = new Thread(() -> {
            installation.get().transform(null, null, "okhttp3/internal/Util", null, null, bytes);
            ready.complete(null);
        });
        List<InstrumentationModule> modules = List.of(new OkHttpInstrumentation("test.key"));
        installation.set(new LazyInstallation(ready, installerThread[0])
                .add("okhttp", LazyInstallation.prefixesOf(modules), modules));
        installerThread[0].start();
        installerThread[0].join(10_000);
        assertFalse(installerThread[0].isAlive(), "the installer finished its work");
        assertFalse(installation.get().installed("okhttp"));
    }

    @Test
    void onceItsWorkIsDoneTheInstallerThreadsClassesAreLikeAnyOther() throws Exception {
        // The class-file gate retransforms, on the installer thread, a library's class defined as
        // it closed: skipped there, the class would lose the advice it had.
        CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        byte[] bytes = bytesOf(LazyInstallationTest.class);
        List<InstrumentationModule> modules = List.of(new OkHttpInstrumentation("test.key"));
        java.util.concurrent.atomic.AtomicReference<LazyInstallation> installation =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread installer = new Thread(() ->
                installation.get().transform(null, null, "okhttp3/internal/Util", null, null, bytes));
        installation.set(new LazyInstallation(ready, installer).add("okhttp", LazyInstallation.prefixesOf(modules),
                modules));
        installer.start();
        installer.join(10_000);
        assertTrue(installation.get().installed("okhttp"));
    }
}
