package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar, as built, holds: only classes under the agent's own package, the libraries it
 * uses relocated there, so that none can clash with the application's copy of the same library.
 */
class AgentJarIT {

    private static final String VERSIONED = "META-INF/versions/";

    @Test
    void everyClassIsTheAgentsOwnOrRelocatedUnderIt() throws IOException {
        List<String> foreign = new ArrayList<>();
        int asm = 0;
        int jackson = 0;
        try (JarFile jar = new JarFile(JvmRun.AGENT_JAR.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class")) {
                    continue;
                }
                String path = name.startsWith(VERSIONED) ? name.substring(name.indexOf('/', VERSIONED.length()) + 1)
                        : name;
                if (!path.startsWith("dev/voicetrace/")) {
                    foreign.add(name);
                }
                asm += path.startsWith("dev/voicetrace/agent/shaded/asm/") ? 1 : 0;
                jackson += path.startsWith("dev/voicetrace/agent/shaded/jackson/") ? 1 : 0;
            }
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("dev.voicetrace.agent.VoicetraceAgent", manifest.getValue("Premain-Class"));
            assertEquals("dev.voicetrace.agent.VoicetraceAgent", manifest.getValue("Agent-Class"));
            assertEquals("true", manifest.getValue("Can-Retransform-Classes"));
        }
        assertEquals(List.of(), foreign, "classes outside the agent's package");
        assertTrue(asm > 0, "ASM is relocated under the agent's package");
        assertTrue(jackson > 0, "Jackson is relocated under the agent's package");
    }
}
