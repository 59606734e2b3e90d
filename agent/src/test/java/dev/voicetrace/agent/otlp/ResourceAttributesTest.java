package dev.voicetrace.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResourceAttributesTest {

    private final Properties properties = new Properties();
    private final Map<String, String> environment = new HashMap<>();

    private ConfigSource source() {
        return new ConfigSource(properties, environment);
    }

    @Test
    void serviceNameComesFromTheAgentOptionThenOpenTelemetrysSettingsThenTheDefault() {
        assertEquals("voicetrace-app", ResourceAttributes.serviceName(source(), null));
        environment.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource,team=voice");
        assertEquals("from-resource", ResourceAttributes.serviceName(source(), null));
        environment.put("OTEL_SERVICE_NAME", "from-env");
        assertEquals("from-env", ResourceAttributes.serviceName(source(), null));
        properties.setProperty("otel.service.name", "from-property");
        assertEquals("from-property", ResourceAttributes.serviceName(source(), null));
        assertEquals("dialogue", ResourceAttributes.serviceName(source(), "dialogue"));
    }

    @Test
    void theResourceSaysWhichProcessOfWhichServiceSentTheSpans() {
        environment.put("HOSTNAME", "media-gw-7f9c");
        Map<String, Object> resource = ResourceAttributes.detect(source(), "gateway", "prod", "1.2.3");
        assertEquals("gateway", resource.get("service.name"));
        UUID.fromString((String) resource.get("service.instance.id"));
        assertEquals(resource.get("service.instance.id"),
                ResourceAttributes.detect(source(), "gateway", "prod", "1.2.3").get("service.instance.id"),
                "one instance id per JVM");
        assertEquals("media-gw-7f9c", resource.get("host.name"));
        assertEquals(ProcessHandle.current().pid(), resource.get("process.pid"));
        assertEquals(System.getProperty("java.runtime.version"), resource.get("process.runtime.version"));
        assertEquals(System.getProperty("java.runtime.name"), resource.get("process.runtime.name"));
        assertTrue(((String) resource.get("process.runtime.description")).contains(System.getProperty("java.vm.name")));
        assertEquals("prod", resource.get("deployment.environment.name"));
        assertEquals("voicetrace", resource.get("telemetry.sdk.name"));
        assertEquals("java", resource.get("telemetry.sdk.language"));
        assertEquals("voicetrace", resource.get("telemetry.distro.name"));
        assertEquals("1.2.3", resource.get("telemetry.distro.version"));
    }

    @Test
    void otelResourceAttributesAddToWhatIsDetectedButNotToTheAgentsIdentity() {
        environment.put("OTEL_RESOURCE_ATTRIBUTES",
                "k8s.pod.name=gw-0,host.name=node-3,telemetry.sdk.name=other,service.name=ignored,note=a%2Cb%3Dc");
        Map<String, Object> resource = ResourceAttributes.detect(source(), "gateway", null, "1.2.3");
        assertEquals("gw-0", resource.get("k8s.pod.name"));
        assertEquals("node-3", resource.get("host.name"), "configured wins over detected");
        assertEquals("a,b=c", resource.get("note"), "values are percent-decoded");
        assertEquals("voicetrace", resource.get("telemetry.sdk.name"));
        assertEquals("gateway", resource.get("service.name"));
    }
}
