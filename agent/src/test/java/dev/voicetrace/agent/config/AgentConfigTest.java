package dev.voicetrace.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static final String SECRET = "sk-lf-9f8e7d6c-secret";

    private static AgentConfig config(Map<String, String> properties, Map<String, String> environment) {
        Properties props = new Properties();
        props.putAll(properties);
        return new AgentConfig(new ConfigSource(props, new HashMap<>(environment)));
    }

    @Test
    void defaultsWithNothingSet() {
        AgentConfig config = config(Map.of(), Map.of());
        assertTrue(config.enabled);
        assertEquals(AgentConfig.DEFAULT_LANGFUSE_HOST, config.langfuseHost);
        assertEquals(AgentConfig.LangfuseApi.OTEL, config.langfuseApi);
        assertEquals(AgentConfig.ExporterKind.AUTO, config.exporter);
        assertEquals(AgentConfig.ExporterKind.FILE, config.effectiveExporter());
        assertEquals("voicetrace-events.jsonl", config.filePath);
        assertEquals(200, config.batchMaxItems);
        assertEquals(Duration.ofSeconds(1), config.batchDelay);
        assertEquals(5, config.maxAttempts);
        assertTrue(config.gzip);
        assertNull(config.sessionId);
        assertEquals("sessionId", config.sessionMdcKey);
        assertFalse(config.hasLangfuseKeys());
        assertEquals("api.deepgram.com", config.providerHosts("deepgram", "api.deepgram.com"),
                "a provider's own hosts when none are set");
    }

    @Test
    void speechVendorHostsFromPropertiesOrEnvironment() {
        AgentConfig config = config(Map.of("voicetrace.deepgram.hosts", "api.deepgram.com,dg-proxy.internal:8443"),
                Map.of("VOICETRACE_ELEVENLABS_HOSTS", "127.0.0.1", "VOICETRACE_ASSEMBLYAI_HOSTS", "none"));
        assertEquals("api.deepgram.com,dg-proxy.internal:8443", config.providerHosts("deepgram", "api.deepgram.com"));
        assertEquals("127.0.0.1", config.providerHosts("elevenlabs", "api.elevenlabs.io"));
        assertEquals("none", config.providerHosts("assemblyai", "api.assemblyai.com"));
    }

    @Test
    void reportPathFromPropertyOrEnvironment() {
        assertNull(config(Map.of(), Map.of()).reportPath, "the default is beside the events file");
        assertEquals("none", config(Map.of("voicetrace.report.path", "none"), Map.of()).reportPath);
        assertEquals("/tmp/calls.html", config(Map.of(), Map.of("VOICETRACE_REPORT_PATH", "/tmp/calls.html")).reportPath);
    }

    @Test
    void nestedCallsAreRecordedOnlyWhenAllIsAsked() {
        assertFalse(config(Map.of(), Map.of()).recordNestedCalls);
        assertFalse(config(Map.of("voicetrace.nested.calls", "outermost"), Map.of()).recordNestedCalls);
        assertTrue(config(Map.of("voicetrace.nested.calls", "all"), Map.of()).recordNestedCalls);
        assertTrue(config(Map.of(), Map.of("VOICETRACE_NESTED_CALLS", "ALL")).recordNestedCalls);
    }

    @Test
    void systemPropertyBeatsEnvironment() {
        AgentConfig config = config(
                Map.of("langfuse.public.key", "pk-from-property", "voicetrace.batch.max.items", "50",
                        "langfuse.host", "https://prop.example"),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk-from-env", "VOICETRACE_BATCH_MAX_ITEMS", "10",
                        "LANGFUSE_HOST", "https://env.example"));
        assertEquals("pk-from-property", config.langfusePublicKey);
        assertEquals(50, config.batchMaxItems);
        assertEquals("https://prop.example", config.langfuseHost);
    }

    @Test
    void blankPropertyFallsBackToEnvironment() {
        AgentConfig config = config(Map.of("langfuse.public.key", "  "), Map.of("LANGFUSE_PUBLIC_KEY", " pk-env "));
        assertEquals("pk-env", config.langfusePublicKey);
    }

    @Test
    void langfuseSdkEnvironmentVariables() {
        AgentConfig config = config(Map.of(), Map.of(
                "LANGFUSE_PUBLIC_KEY", "pk-lf-env",
                "LANGFUSE_SECRET_KEY", SECRET,
                "LANGFUSE_HOST", "https://eu.cloud.langfuse.com/"));
        assertEquals("pk-lf-env", config.langfusePublicKey);
        assertEquals(SECRET, config.langfuseSecretKey);
        assertEquals("https://eu.cloud.langfuse.com", config.langfuseHost, "trailing slash stripped");
        assertTrue(config.hasLangfuseKeys());
    }

    @Test
    void baseUrlIsTheFallbackForHost() {
        assertEquals("http://localhost:3000", config(Map.of(),
                Map.of("LANGFUSE_BASE_URL", "http://localhost:3000//")).langfuseHost);
        assertEquals("https://host.example", config(Map.of(),
                Map.of("LANGFUSE_BASE_URL", "https://base.example", "LANGFUSE_HOST", "https://host.example"))
                .langfuseHost);
        assertEquals("https://prop.example", config(Map.of("langfuse.host", "https://prop.example/"),
                Map.of()).langfuseHost);
    }

    @Test
    void voicetraceOptionsFallBackToDerivedEnvironmentNames() {
        AgentConfig config = config(Map.of(), Map.of(
                "VOICETRACE_EXPORTER", "file",
                "VOICETRACE_FILE_PATH", "/tmp/traces.jsonl",
                "VOICETRACE_SESSION_ID", "demo-session",
                "VOICETRACE_LANGFUSE_API", "INGESTION",
                "VOICETRACE_EXPORT_MAX_ATTEMPTS", "0",
                "VOICETRACE_TURN_IDLE_MS", "1500",
                "VOICETRACE_ENVIRONMENT", "staging",
                "LANGFUSE_RELEASE", "v9"));
        assertEquals(AgentConfig.ExporterKind.FILE, config.exporter);
        assertEquals("/tmp/traces.jsonl", config.filePath);
        assertEquals("demo-session", config.sessionId);
        assertEquals(AgentConfig.LangfuseApi.INGESTION, config.langfuseApi);
        assertEquals(5, config.maxAttempts, "0 attempts is out of range: the default is used");
        assertEquals(Duration.ofMillis(1500), config.turnIdleTimeout);
        assertEquals("staging", config.environment);
        assertEquals("v9", config.release);
    }

    @Test
    void invalidValuesFallBackToDefaults() {
        AgentConfig config = config(Map.of("voicetrace.batch.max.items", "lots", "voicetrace.exporter", "kafka"),
                Map.of());
        assertEquals(200, config.batchMaxItems);
        assertEquals(AgentConfig.ExporterKind.AUTO, config.exporter);
    }

    @Test
    void autoExporterPicksLangfuseOnlyWithBothKeys() {
        assertEquals(AgentConfig.ExporterKind.LANGFUSE, config(Map.of(),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk", "LANGFUSE_SECRET_KEY", SECRET)).effectiveExporter());
        assertEquals(AgentConfig.ExporterKind.FILE, config(Map.of(),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk")).effectiveExporter());
        assertEquals(AgentConfig.ExporterKind.FILE, config(Map.of("voicetrace.exporter", "file"),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk", "LANGFUSE_SECRET_KEY", SECRET)).effectiveExporter());
        AgentConfig none = config(Map.of("voicetrace.exporter", "none"), Map.of());
        assertEquals(AgentConfig.ExporterKind.NONE, none.effectiveExporter());
        assertFalse(none.consoleSummary);
    }

    @Test
    void describeNeverContainsTheSecretKey() {
        AgentConfig langfuse = config(Map.of("langfuse.secret.key", SECRET),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk-lf-public", "LANGFUSE_HOST", "https://cloud.langfuse.com/"));
        String description = langfuse.describe();
        assertTrue(description.contains("pk-lf-public"), description);
        assertTrue(description.contains("https://cloud.langfuse.com"), description);
        assertTrue(description.contains("otel"), description);
        assertFalse(description.contains(SECRET), description);
        assertFalse(description.contains("secret"), description);

        AgentConfig file = config(Map.of("voicetrace.exporter", "file", "langfuse.secret.key", SECRET,
                "langfuse.public.key", "pk"), Map.of());
        assertEquals("local file voicetrace-events.jsonl", file.describe());
    }
}
