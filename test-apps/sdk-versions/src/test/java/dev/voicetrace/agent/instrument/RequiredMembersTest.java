package dev.voicetrace.agent.instrument;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The install-time check agrees with the version under test: every instrumentation of a library on
 * this class path finds the members it intercepts, so the agent would instrument this version, and
 * every member its provider's readers require (its {@code sdk-members.txt}), so it reports no drift.
 */
class RequiredMembersTest {

    /** The instrumentations whose libraries this module puts on the class path, by module name. */
    private static final Set<String> ON_CLASS_PATH = Set.of(
            "openai-java", "anthropic-java", "google-genai", "aws-sdk-bedrockruntime", "aws-sdk-polly",
            "aws-sdk-transcribestreaming", "google-cloud-speech", "google-gax-bidi-streaming", "langchain4j",
            "spring-ai", "spring-ai-tools");

    @Test
    void everyInstrumentationOfTheseVersionsIsSupported() {
        List<String> problems = new ArrayList<>();
        InstalledProviders installed = InstalledProviders.install(Providers.load(problems::add),
                new AgentConfig(new ConfigSource(new Properties(), Map.of())), new OperationRegistry(), problems::add);
        assertEquals(List.of(), problems);

        ClassLoader loader = getClass().getClassLoader();
        Map<String, Boolean> verdicts = new TreeMap<>();
        for (InstrumentationModule module : installed.modules()) {
            verdicts.put(module.name(), new SupportCheck(module).supported(loader));
        }
        Set<String> supported = new TreeSet<>();
        verdicts.forEach((name, ok) -> {
            if (ok) {
                supported.add(name);
            }
        });
        assertTrue(supported.containsAll(ON_CLASS_PATH),
                "unsupported here (see the agent's log line above): " + verdicts);
        // The gate can say no: LangChain4j's tool executor lives in the langchain4j module, absent here.
        assertFalse(verdicts.get("langchain4j-tools"), "langchain4j-tools without the langchain4j module");
    }

    @Test
    void everyMemberTheReadersRequireIsInTheseVersions() {
        InstalledProviders installed = InstalledProviders.install(Providers.load(problem -> { }),
                new AgentConfig(new ConfigSource(new Properties(), Map.of())), new OperationRegistry(), problem -> { });
        ClassLoader loader = getClass().getClassLoader();
        Map<String, List<String>> missing = new TreeMap<>();
        int checked = 0;
        for (InstrumentationModule module : installed.modules()) {
            if (!ON_CLASS_PATH.contains(module.name())) {
                continue;
            }
            checked += SupportCheck.readMembers(module.getClass()).size();
            List<String> lacking = new SupportCheck(module).missingReadMembers(loader);
            if (!lacking.isEmpty()) {
                missing.put(module.name(), lacking);
            }
        }
        assertTrue(checked > 100, "the providers' sdk-members.txt were found: " + checked + " members");
        assertEquals(Map.of(), missing);
    }
}
