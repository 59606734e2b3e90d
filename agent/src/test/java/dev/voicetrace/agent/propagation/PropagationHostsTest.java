package dev.voicetrace.agent.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.provider.InstalledProviders;
import dev.voicetrace.agent.provider.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropagationHostsTest {

    /** The vendors' host lists as the runtime gathers them from the providers, with these options. */
    private static List<String> providerHosts(Map<String, String> options) {
        Properties properties = new Properties();
        properties.putAll(options);
        AgentConfig config = new AgentConfig(new ConfigSource(properties, Map.of()));
        return InstalledProviders.install(Providers.load(problem -> { }), config, new OperationRegistry(),
                problem -> { }).hostLists();
    }

    @Test
    void byDefaultEveryHostButTheVendorsAndLangfuse() {
        // openai switched off: its public API still never gets trace headers
        List<String> known = new ArrayList<>(providerHosts(Map.of(
                "voicetrace.deepgram.hosts", "api.deepgram.com,speech.proxy:9000",
                "voicetrace.instrumentation.openai.enabled", "false")));
        known.add(PropagationHosts.hostOf("https://langfuse.internal:3000"));
        PropagationHosts hosts = PropagationHosts.of("*", null, known.toArray(new String[0]));
        assertTrue(hosts.allows("dialogue", 8080));
        assertTrue(hosts.allows("10.0.0.7", -1));
        for (String vendor : new String[] {"api.openai.com", "my-resource.openai.azure.com", "api.anthropic.com",
            "generativelanguage.googleapis.com", "speech.googleapis.com", "bedrock-runtime.eu-west-1.amazonaws.com",
            "api.deepgram.com", "api.elevenlabs.io", "api.assemblyai.com", "cloud.langfuse.com",
            "us.cloud.langfuse.com", "API.OPENAI.COM"}) {
            assertFalse(hosts.allows(vendor, 443), vendor);
        }
        assertFalse(hosts.allows("speech.proxy", 9000), "a host configured as a vendor's");
        assertTrue(hosts.allows("speech.proxy", 9001), "the same host on another port is not the vendor's");
        assertFalse(hosts.allows("langfuse.internal", 3000));
    }

    @Test
    void anAllowListAndExclusionsNarrowItDown() {
        PropagationHosts hosts = PropagationHosts.of("*.svc.cluster.local, 127.0.0.1:7001", "billing.svc.cluster.local",
                providerHosts(Map.of()).toArray(new String[0]));
        assertTrue(hosts.allows("dialogue.svc.cluster.local", 80));
        assertTrue(hosts.allows("Dialogue.SVC.cluster.local", 80), "a domain entry in any case");
        assertFalse(hosts.allows("BILLING.svc.cluster.local", 80), "an exclusion in any case");
        assertTrue(hosts.allows("127.0.0.1", 7001));
        assertFalse(hosts.allows("127.0.0.1", 7002));
        assertFalse(hosts.allows("billing.svc.cluster.local", 80));
        assertFalse(hosts.allows("example.com", 443));
        PropagationHosts badPort = PropagationHosts.of("127.0.0.1:-1,127.0.0.1:70000", null);
        assertFalse(badPort.allows("127.0.0.1", 8080), "an entry with an impossible port names no host");
        assertEquals("h:1", PropagationHosts.hostOf("http://h:1/x"));
    }

    @Test
    void aHostListedMoreThanOnceMatchesEachOfItsPorts() {
        PropagationHosts hosts = PropagationHosts.of("gw:7001, GW:7002, other:9, other", "gw:7002");
        assertTrue(hosts.allows("gw", 7001));
        assertFalse(hosts.allows("gw", 7002), "excluded");
        assertFalse(hosts.allows("gw", 7003));
        assertFalse(hosts.allows("gw", -1), "a URL without a port is not one with port 7001");
        assertTrue(hosts.allows("Other", 1234), "listed with a port and without one: any port");
        assertTrue(hosts.allows("other", 9));
    }

    @Test
    void withoutTheProvidersOnlyLangfuseCloudIsKnown() {
        PropagationHosts hosts = PropagationHosts.of("*", null);
        assertTrue(hosts.allows("api.openai.com", 443), "vendors are the providers' to name");
        assertFalse(hosts.allows("cloud.langfuse.com", 443));
    }
}
