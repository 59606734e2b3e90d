package dev.voicetrace.agent.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PropagationHostsTest {

    @Test
    void byDefaultEveryHostButTheVendorsAndLangfuse() {
        PropagationHosts hosts = PropagationHosts.of("*", null, "api.deepgram.com,speech.proxy:9000", null,
                PropagationHosts.hostOf("https://langfuse.internal:3000"));
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
        PropagationHosts hosts = PropagationHosts.of("*.svc.cluster.local, 127.0.0.1:7001", "billing.svc.cluster.local");
        assertTrue(hosts.allows("dialogue.svc.cluster.local", 80));
        assertTrue(hosts.allows("127.0.0.1", 7001));
        assertFalse(hosts.allows("127.0.0.1", 7002));
        assertFalse(hosts.allows("billing.svc.cluster.local", 80));
        assertFalse(hosts.allows("example.com", 443));
        PropagationHosts badPort = PropagationHosts.of("127.0.0.1:-1,127.0.0.1:70000", null);
        assertFalse(badPort.allows("127.0.0.1", 8080), "an entry with an impossible port names no host");
        assertEquals("h:1", PropagationHosts.hostOf("http://h:1/x"));
    }
}
