package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.instrument.weave.ClassFiles;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import dev.voicetrace.agent.provider.InstalledProviders;
import dev.voicetrace.agent.provider.Providers;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * In this version of each generated SDK, the JSON handler that a non-streamed chat or message
 * call's response goes through is one the agent's handler instrumentation matches: otherwise the
 * response would silently be serialised again instead of read as received.
 */
class GeneratedSdkJsonHandlersTest {

    @Test
    void theChatAndMessageServicesHandlersAreMatched() throws Exception {
        InstalledProviders installed = InstalledProviders.install(Providers.load(problem -> { }),
                new AgentConfig(new ConfigSource(new Properties(), Map.of())), new OperationRegistry(), problem -> { });
        assertMatched(installed, "openai-java-response",
                "com.openai.services.blocking.chat.ChatCompletionServiceImpl$WithRawResponseImpl");
        assertMatched(installed, "anthropic-java-response",
                "com.anthropic.services.blocking.MessageServiceImpl$WithRawResponseImpl");
    }

    /** Some handler class nested in {@code service} is matched by the module, and has the intercepted method. */
    private static void assertMatched(InstalledProviders installed, String moduleName, String service)
            throws Exception {
        InstrumentationModule module = installed.modules().stream().filter(m -> m.name().equals(moduleName))
                .findFirst().orElseThrow(() -> new AssertionError(moduleName + " is not installed"));
        ClassLoader loader = GeneratedSdkJsonHandlersTest.class.getClassLoader();
        ClassFiles files = ClassFiles.of(loader);
        int matched = 0;
        for (int index = 1; index <= 12; index++) {
            String handler = service + "$special$$inlined$jsonHandler$" + index;
            TypeShape shape = files.find(handler);
            if (shape == null) {
                continue;
            }
            assertTrue(module.typeNameFilter().matches(shape) && module.typeMatcher().matches(shape), handler);
            Class<?> type = Class.forName(handler, false, loader);
            Class<?> httpResponse = Class.forName(service.substring(0, service.indexOf(".services.")) + ".core.http.HttpResponse",
                    false, loader);
            type.getMethod("handle", httpResponse);
            matched++;
        }
        assertTrue(matched > 0, "no JSON handler class nested in " + service + " in this version");
    }
}
