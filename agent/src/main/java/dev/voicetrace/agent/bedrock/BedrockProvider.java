package dev.voicetrace.agent.bedrock;

import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.LibrarySetup;
import dev.voicetrace.agent.tools.ToolCallReader;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** AWS SDK v2 Bedrock Runtime: Converse, ConverseStream, InvokeModel. */
public final class BedrockProvider implements Provider {

    @Override
    public String id() {
        return "bedrock";
    }

    @Override
    public String[] libraryPrefixes() {
        return new String[] {"software.amazon.awssdk.services.bedrockruntime."};
    }

    @Override
    public void installLibrary(LibrarySetup setup) {
        BedrockOperations.register(setup.operations());
        setup.instrument(new BedrockRuntimeInstrumentation());
    }

    @Override
    public Map<String, ToolCallReader> toolCallReaders() {
        return Collections.singletonMap(BedrockOperations.PROVIDER, BedrockToolCalls.INSTANCE);
    }

    @Override
    public List<String> publicApiHosts() {
        return Arrays.asList("*.amazonaws.com");
    }
}
