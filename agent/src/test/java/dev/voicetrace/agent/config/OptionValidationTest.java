package dev.voicetrace.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.provider.InstalledProviders;
import dev.voicetrace.agent.provider.Providers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionValidationTest {

    private static AgentConfig config(Map<String, String> properties, Map<String, String> environment) {
        Properties props = new Properties();
        props.putAll(properties);
        AgentConfig config = new AgentConfig(new ConfigSource(props, new HashMap<>(environment)));
        // As at start: the providers read their own switches and hosts before the warnings are logged.
        InstalledProviders.install(Providers.load(error -> {}), config, new OperationRegistry(), error -> {});
        return config;
    }

    private static AgentConfig config(String property, String value) {
        return config(Map.of(property, value), Map.of());
    }

    private static String onlyWarning(AgentConfig config) {
        List<String> warnings = config.warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        return warnings.get(0);
    }

    @Test
    void noWarningsWithNothingSetOrEverythingValid() {
        assertEquals(List.of(), config(Map.of(), Map.of()).warnings());
        assertEquals(List.of(), config(Map.of("voicetrace.batch.max.items", "50", "voicetrace.exporter", "FILE",
                "voicetrace.redact", "card, email", "voicetrace.sample.rate", "0.25",
                "voicetrace.instrumentation.openai.enabled", "false"),
                Map.of("VOICETRACE_TURN_IDLE_MS", "1500", "VOICETRACE_CAPTURE_CONTENT", "metadata")).warnings());
    }

    @Test
    void theIssuesExamplesEachGiveOneLineWithValueAcceptedAndUsed() {
        AgentConfig items = config("voicetrace.batch.max.items", "abc");
        assertEquals(200, items.batchMaxItems);
        assertEquals("option voicetrace.batch.max.items=abc is not understood: accepted is an integer from 1 to"
                + " 100000; using 200", onlyWarning(items));

        AgentConfig queue = config("voicetrace.export.queue.size", "-5");
        assertEquals(8192, queue.exportQueueSize);
        assertTrue(onlyWarning(queue).startsWith("option voicetrace.export.queue.size=-5 is not understood"));

        AgentConfig exporter = config("voicetrace.exporter", "bogus");
        assertEquals(AgentConfig.ExporterKind.AUTO, exporter.exporter);
        assertEquals("option voicetrace.exporter=bogus is not understood: accepted is one of auto, langfuse, file,"
                + " none; using auto", onlyWarning(exporter));

        AgentConfig api = config("voicetrace.langfuse.api", "grpc");
        assertEquals(AgentConfig.LangfuseApi.OTEL, api.langfuseApi);
        assertTrue(onlyWarning(api).contains("accepted is one of otel, ingestion; using otel"));

        AgentConfig idle = config("voicetrace.turn.idle.ms", "0");
        assertEquals(Duration.ofSeconds(30), idle.turnIdleTimeout);
        assertTrue(onlyWarning(idle).contains("an integer from 100 to 86400000; using 30000"));
    }

    @Test
    void environmentValuesAreNamedByTheirVariable() {
        AgentConfig config = config(Map.of(), Map.of("VOICETRACE_EXPORT_GZIP", "yes"));
        assertTrue(config.gzip);
        assertEquals("option VOICETRACE_EXPORT_GZIP=yes is not understood: accepted is true or false; using true",
                onlyWarning(config));
    }

    @Test
    void unknownOptionsAreNamedWithTheClosestKnownOne() {
        AgentConfig config = config(Map.of("voicetrace.redcat", "card", "voicetrace.batch.max.item", "10"),
                Map.of("VOICETRACE_SAMPLE_RATES", "0.5", "PATH", "/bin"));
        assertEquals(List.of(
                "unknown option voicetrace.batch.max.item is ignored; the closest known option is"
                        + " voicetrace.batch.max.items",
                "unknown option voicetrace.redcat is ignored; the closest known option is voicetrace.redact",
                "unknown environment variable VOICETRACE_SAMPLE_RATES is ignored; the closest known one is"
                        + " VOICETRACE_SAMPLE_RATE"), config.warnings());
    }

    @Test
    void privacyOptionsAreValidatedToo() {
        AgentConfig content = config("voicetrace.capture.content", "none");
        assertEquals(PrivacyOptions.ContentMode.FULL, content.privacy.contentMode);
        assertTrue(onlyWarning(content).contains("one of full, metadata; using full"));

        AgentConfig rate = config("voicetrace.sample.rate", "10%");
        assertEquals(1.0, rate.privacy.sampleRate);
        assertTrue(onlyWarning(rate).contains("a number from 0 to 1; using 1"));
        assertEquals(1, config("voicetrace.sample.rate", "1.5").warnings().size());

        AgentConfig instrumentation = config("voicetrace.instrumentation.openai.enabled", "off");
        assertTrue(instrumentation.instrumentationEnabled("openai"));
        assertTrue(onlyWarning(instrumentation).contains("true or false; using true"));
    }

    @Test
    void redactionDefaultsAndChoices() {
        assertEquals(List.of("iban", "card", "ssn"), List.copyOf(config(Map.of(), Map.of()).privacy.detectors));
        assertEquals(List.of(), List.copyOf(config("voicetrace.redact", "none").privacy.detectors));
        assertEquals(PrivacyOptions.DETECTORS, List.copyOf(config("voicetrace.redact", "ALL").privacy.detectors));
        assertEquals(List.of("email", "phone"), List.copyOf(config("voicetrace.redact", "phone,email").privacy.detectors));
    }

    @Test
    void aMisspeltDetectorSwitchesEveryDetectorOn() {
        AgentConfig config = config("voicetrace.redact", "cards,email");
        assertEquals(PrivacyOptions.DETECTORS, List.copyOf(config.privacy.detectors));
        assertEquals("option voicetrace.redact=cards,email is not understood: accepted is none, all, or a"
                + " comma-separated list of email, iban, card, ssn, phone; using all of them", onlyWarning(config));
    }

    @Test
    void customPatternsInlineOrFromAFile(@TempDir Path dir) throws IOException {
        assertEquals(1, config("voicetrace.redact.patterns", "ACC-\\d{6}").privacy.patterns.size());
        Path file = dir.resolve("patterns.txt");
        Files.write(file, List.of("# account numbers", "ACC-\\d{6}", "", "(unclosed"), StandardCharsets.UTF_8);
        AgentConfig config = config("voicetrace.redact.patterns", "@" + file);
        assertEquals(1, config.privacy.patterns.size());
        assertTrue(onlyWarning(config).startsWith("option voicetrace.redact.patterns=(unclosed is not understood:"
                + " accepted is a Java regular expression"), config.warnings().toString());

        AgentConfig missing = config("voicetrace.redact.patterns", "@" + dir.resolve("absent.txt"));
        assertEquals(0, missing.privacy.patterns.size());
        assertTrue(onlyWarning(missing).endsWith("using no custom patterns"));
    }

    @Test
    void usersTagsAndMetadataKeys() {
        AgentConfig config = config(Map.of("voicetrace.user.mdc.key", "customerId", "voicetrace.tags",
                "voice, prod ,", "voicetrace.metadata.mdc.keys", "tenant,callId"), Map.of());
        assertEquals("customerId", config.privacy.userMdcKey);
        assertEquals(List.of("voice", "prod"), config.privacy.tags);
        assertEquals(List.of("tenant", "callId"), config.privacy.metadataMdcKeys);
    }

    @Test
    void editDistance() {
        assertEquals(0, OptionReader.editDistance("abc", "abc"));
        assertEquals(2, OptionReader.editDistance("redcat", "redact"));
        assertEquals(3, OptionReader.editDistance("", "abc"));
    }
}
