package dev.voicetrace.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.config.OptionReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OtlpOptionsTest {

    private final Properties properties = new Properties();
    private final Map<String, String> environment = new HashMap<>();
    private OptionReader reader;

    private OtlpOptions options() {
        ConfigSource source = new ConfigSource(properties, environment);
        reader = new OptionReader(source);
        return new OtlpOptions(source, reader);
    }

    @Test
    void offUnlessAnEndpointIsGivenEvenWhenTheOpenTelemetryVariablesAreSet() {
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        environment.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret-of-another-backend");
        OtlpOptions options = options();
        assertFalse(options.enabled());
        assertNull(options.tracesUrl);
    }

    @Test
    void aBaseEndpointGetsTheTracesPathAndDefaultsToProtobuf() {
        environment.put("VOICETRACE_OTLP_ENDPOINT", "http://collector:4318/");
        OtlpOptions options = options();
        assertEquals("http://collector:4318/v1/traces", options.tracesUrl.toString());
        assertEquals(OtlpOptions.Protocol.HTTP_PROTOBUF, options.protocol);

        properties.setProperty("voicetrace.otlp.endpoint", "https://apm.example.com/otlp/v1/traces");
        properties.setProperty("voicetrace.otlp.protocol", "http/json");
        OtlpOptions full = options();
        assertEquals("https://apm.example.com/otlp/v1/traces", full.tracesUrl.toString(), "already a traces URL");
        assertEquals(OtlpOptions.Protocol.HTTP_JSON, full.protocol);
        assertEquals("application/json", full.protocol.contentType);
    }

    @Test
    void otelTakesEndpointHeadersAndProtocolTogetherFromTheOpenTelemetryVariables() {
        properties.setProperty("voicetrace.otlp.endpoint", "otel");
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        environment.put("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc%3D%3D,x-team=voice");
        environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
        OtlpOptions options = options();
        assertEquals("http://collector:4318/v1/traces", options.tracesUrl.toString());
        assertEquals(Map.of("x-api-key", "abc==", "x-team", "voice"), options.headers);
        assertEquals(OtlpOptions.Protocol.HTTP_JSON, options.protocol);

        // The traces-specific endpoint is used as it is.
        environment.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom");
        assertEquals("http://traces:9999/custom", options().tracesUrl.toString());
    }

    @Test
    void malformedHeadersAreReportedWithoutTheirValues() {
        properties.setProperty("voicetrace.otlp.endpoint", "http://collector:4318");
        properties.setProperty("voicetrace.otlp.headers", "Authorization=Bearer%20tok-123456,broken-secret-9876,=x");
        OtlpOptions options = options();
        assertEquals(Map.of("Authorization", "Bearer tok-123456"), options.headers);
        List<String> warnings = reader.warnings();
        assertEquals(2, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("entry 2 of voicetrace.otlp.headers"), warnings::toString);
        warnings.forEach(w -> assertFalse(w.contains("9876") || w.contains("tok-123456"), w));
        assertFalse(options.describe().contains("tok-123456"), options.describe());
        assertTrue(options.describe().contains("Authorization"), options.describe());
    }

    @Test
    void unusableValuesFallBackWithAWarning() {
        properties.setProperty("voicetrace.otlp.endpoint", "collector:4318");
        properties.setProperty("voicetrace.otlp.protocol", "grpc");
        OtlpOptions options = options();
        assertFalse(options.enabled(), "no scheme: not a URL the sink can post to");
        assertEquals(OtlpOptions.Protocol.HTTP_PROTOBUF, options.protocol);
        assertEquals(2, reader.warnings().size(), reader.warnings()::toString);
        assertTrue(reader.warnings().get(1).contains("gRPC is not supported"), reader.warnings()::toString);
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutBeingRepeated() {
        properties.setProperty("voicetrace.otlp.endpoint", "https://user:hunter2-secret@apm.example.com");
        OtlpOptions options = options();
        assertFalse(options.enabled());
        assertEquals(1, reader.warnings().size());
        assertTrue(reader.warnings().get(0).contains("voicetrace.otlp.headers"), reader.warnings()::toString);
        assertFalse(reader.warnings().get(0).contains("hunter2"), reader.warnings()::toString);
    }

    @Test
    void openTelemetrySystemPropertiesComeBeforeTheirVariablesAndTracesSettingsBeforeGeneralOnes() {
        properties.setProperty("voicetrace.otlp.endpoint", "otel");
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318");
        properties.setProperty("otel.exporter.otlp.endpoint", "http://from-property:4318");
        environment.put("OTEL_EXPORTER_OTLP_HEADERS", "general=1");
        environment.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "traces=1");
        OtlpOptions options = options();
        assertEquals("http://from-property:4318/v1/traces", options.tracesUrl.toString());
        assertEquals(Map.of("traces", "1"), options.headers);

        properties.setProperty("voicetrace.otlp.headers", "explicit=1");
        assertEquals(Map.of("explicit", "1"), options().headers, "an explicit agent option still wins");
    }

    @Test
    void otelWithoutAnyOpenTelemetryEndpointSaysSo() {
        properties.setProperty("voicetrace.otlp.endpoint", "otel");
        OtlpOptions options = options();
        assertFalse(options.enabled());
        assertTrue(reader.warnings().get(0).contains("neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
                reader.warnings()::toString);
    }
}
