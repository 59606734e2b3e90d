package dev.voicetrace.agent.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.http.HttpEndpoints;
import dev.voicetrace.agent.instrument.InstrumentationModule;
import dev.voicetrace.agent.instrument.OkHttpInstrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    private static AgentConfig config(Map<String, String> properties) {
        java.util.Properties props = new java.util.Properties();
        props.putAll(properties);
        return new AgentConfig(new ConfigSource(props, Map.of()));
    }

    @Test
    void everyPackagedProviderIsFoundOnceWithItsOwnId() {
        List<String> errors = new ArrayList<>();
        List<Provider> providers = Providers.load(errors::add);
        List<String> ids = new ArrayList<>();
        for (Provider provider : providers) {
            ids.add(provider.id());
        }
        assertEquals(List.of("anthropic", "assemblyai", "bedrock", "deepgram", "elevenlabs", "gemini", "googlespeech",
                "langchain4j", "openai", "polly", "springai", "transcribe"), ids);
        assertEquals(List.of(), errors);
        for (Provider provider : providers) {
            assertTrue(provider.getClass().getPackage().getName().endsWith("." + provider.id()),
                    provider.id() + " lives in the package of its name");
        }
    }

    @Test
    void everyProviderDeclaresSomethingToObserveAndItsInstrumentationsAreWellFormed() {
        for (Provider provider : Providers.load(error -> {})) {
            ProviderSetup setup = new ProviderSetup(provider.id(), config(Map.of()));
            provider.install(setup);
            LibrarySetup library = new LibrarySetup(new OperationRegistry());
            provider.installLibrary(library);
            assertFalse(library.modules().isEmpty() && setup.httpApis().isEmpty() && setup.sockets().isEmpty(),
                    provider.id() + " declares nothing");
            assertEquals(library.modules().isEmpty(), provider.libraryPrefixes().length == 0,
                    provider.id() + " names its library's prefixes exactly when it instruments a library");
            for (InstrumentationModule module : library.modules()) {
                assertNotNull(module.name());
                assertNotNull(module.typeNameFilter(), module.name());
                assertFalse(module.interceptions().isEmpty(), module.name() + " intercepts nothing");
            }
        }
    }

    @Test
    void aLibraryIsDeclaredOnlyWhenAskedForAndEachInstrumentationLiesUnderItsPrefixes() {
        OperationRegistry registry = new OperationRegistry();
        List<String> log = new ArrayList<>();
        InstalledProviders installed = InstalledProviders.install(Providers.load(error -> {}), config(Map.of()),
                registry, log::add);
        String anthropicRequest = "com.anthropic.models.messages.MessageCreateParams";
        assertNull(registry.lookup(anthropicRequest, "create"), "nothing of a library is declared at start");
        List<String> ids = new ArrayList<>();
        for (ProviderLibrary library : installed.libraries()) {
            ids.add(library.id());
            List<InstrumentationModule> modules = library.install();
            assertFalse(modules.isEmpty(), library.id());
            assertSame(modules, library.install(), "declared once");
        }
        assertEquals(List.of("anthropic", "bedrock", "gemini", "googlespeech", "langchain4j", "openai", "polly",
                "springai", "transcribe"), ids);
        assertEquals(List.of(), log, "every instrumentation lies under its library's prefixes");
        assertEquals("anthropic", registry.lookup(anthropicRequest, "create").provider);
    }

    /** A provider of one library under {@code prefix}, declared by {@code declare}. */
    private static Provider libraryProvider(String id, String prefix, java.util.function.Consumer<LibrarySetup> declare) {
        return new Provider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String[] libraryPrefixes() {
                return new String[] {prefix};
            }

            @Override
            public void installLibrary(LibrarySetup library) {
                declare.accept(library);
            }
        };
    }

    @Test
    void aLibraryThatFailsOrReachesOutsideItsPrefixesIsReportedAndLeftOut() {
        InstrumentationModule okHttp = new OkHttpInstrumentation("test.key");
        Provider reachingOut = libraryProvider("reaching", "com.example.sdk.", library -> library.instrument(okHttp));
        Provider failing = libraryProvider("failing", "com.example.other.", library -> {
            throw new NoClassDefFoundError("some/Missing");
        });
        List<String> log = new ArrayList<>();
        InstalledProviders installed = InstalledProviders.install(List.of(reachingOut, failing), config(Map.of()),
                new OperationRegistry(), log::add);
        assertEquals(List.of("reaching", "failing"), installed.installed(), "both are declared at start");
        assertEquals(List.of(), log, "and nothing of their libraries is run then");
        assertEquals(List.of(), installed.modules());
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("provider reaching: instrumentation " + okHttp.name() + " is left out"),
                log.get(0));
        assertTrue(log.get(0).contains("okhttp3.internal.") && log.get(0).contains("com.example.sdk."), log.get(0));
        assertTrue(log.get(1).contains("provider failing is not traced: java.lang.NoClassDefFoundError"), log.get(1));
        installed.modules();
        assertEquals(2, log.size(), "each said once");
    }

    @Test
    void defaultHostsAndTheirOverrides() {
        InstalledProviders defaults = InstalledProviders.install(Providers.load(error -> {}), config(Map.of()),
                new OperationRegistry(), error -> {});
        HttpEndpoints rest = defaults.httpEndpoints(CallObserver.SDK_RESULTS);
        assertEquals("deepgram", rest.match("api.deepgram.com", -1, "POST", "/v1/listen").provider);
        assertEquals("elevenlabs", rest.match("api.elevenlabs.io", -1, "POST", "/v1/text-to-speech/v").provider);
        assertEquals("assemblyai", rest.match("api.assemblyai.com", -1, "POST", "/v2/transcript").provider);
        assertFalse(rest.servesHost("api.openai.com"), "openai-java is read through its SDK, not its HTTP calls");
        assertNotNull(defaults.socketEndpoints().match("api.openai.com", -1, "/v1/realtime"));
        assertNotNull(defaults.socketEndpoints().match("x.openai.azure.com", -1, "/openai/realtime"));
        assertNotNull(defaults.socketEndpoints().match("api.deepgram.com", -1, "/v1/listen"));
        assertNotNull(defaults.socketEndpoints().match("streaming.assemblyai.com", -1, "/v3/ws"));
        assertNotNull(defaults.socketEndpoints().match("api.elevenlabs.io", -1, "/v1/text-to-speech/v/stream-input"));

        InstalledProviders moved = InstalledProviders.install(Providers.load(error -> {}),
                config(Map.of("voicetrace.deepgram.hosts", "dg.internal:8443")), new OperationRegistry(),
                error -> {});
        HttpEndpoints movedRest = moved.httpEndpoints(CallObserver.SDK_RESULTS);
        assertNull(movedRest.match("api.deepgram.com", -1, "POST", "/v1/listen"));
        assertEquals("listen", movedRest.match("dg.internal", 8443, "POST", "/v1/listen").operation);
    }

    @Test
    void aProviderSwitchedOffDeclaresNothingAndOneThatFailsIsLeftOut() {
        List<String> log = new ArrayList<>();
        Provider failing = new Provider() {
            @Override
            public String id() {
                return "failing";
            }

            @Override
            public void install(ProviderSetup setup) {
                throw new NoClassDefFoundError("some/Missing");
            }
        };
        List<Provider> providers = new ArrayList<>(Providers.load(error -> {}));
        providers.add(failing);
        InstalledProviders installed = InstalledProviders.install(providers,
                config(Map.of("voicetrace.instrumentation.deepgram.enabled", "false")), new OperationRegistry(),
                log::add);
        assertEquals(List.of("deepgram"), installed.switchedOff());
        assertFalse(installed.installed().contains("failing"));
        assertTrue(installed.installed().contains("openai"));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("provider failing is not traced"), log.get(0));
        assertNull(installed.httpEndpoints(CallObserver.SDK_RESULTS).match("api.deepgram.com", -1, "POST",
                "/v1/listen"));
        Set<String> names = new HashSet<>();
        for (InstrumentationModule module : installed.modules()) {
            assertTrue(names.add(module.name()), "installed once: " + module.name());
        }
    }

    @Test
    void priceSectionsLiveWithTheirProvidersAndNeverPriceAModelTwice() throws Exception {
        Map<String, String> owners = new java.util.HashMap<>();
        int sections = 0;
        for (Provider provider : Providers.load(error -> {})) {
            try (java.io.InputStream in = provider.getClass().getResourceAsStream(
                    dev.voicetrace.agent.cost.PriceTable.SECTION)) {
                if (in == null) {
                    continue;
                }
                sections++;
                com.fasterxml.jackson.databind.JsonNode models = dev.voicetrace.agent.json.Json.read(in.readAllBytes())
                        .path("models");
                assertTrue(models.size() > 0, provider.id() + "'s section prices nothing");
                for (java.util.Iterator<String> keys = models.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    assertNull(owners.put(key, provider.id()), key + " is priced by two providers");
                }
            }
        }
        assertEquals(10, sections, "every vendor's provider prices its models; the frameworks use the vendors'");
        assertEquals("openai", owners.get("gpt-4o-mini"));
        assertEquals("deepgram", owners.get("deepgram/nova-3"));
    }
}
