package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JvmArgumentsTest {

    @Test
    void optionsThatUseOrBuildAClassArchiveAreFound() {
        assertEquals("-XX:SharedArchiveFile=app.jsa",
                JvmArguments.archiveOption(new String[] {"-Xmx1g", "-XX:SharedArchiveFile=app.jsa"}));
        assertEquals("-XX:AOTCache=app.aot", JvmArguments.archiveOption(new String[] {"-XX:AOTCache=app.aot"}));
        assertEquals("-XX:+AutoCreateSharedArchive",
                JvmArguments.archiveOption(new String[] {"-XX:+AutoCreateSharedArchive"}));
        assertEquals("-XX:VMOptionsFile=opts", JvmArguments.archiveOption(new String[] {"-XX:VMOptionsFile=opts"}),
                "a file of options may name an archive");
        assertNull(JvmArguments.archiveOption(new String[] {"-Xshare:auto", "-XX:-AutoCreateSharedArchive", "-Xmx1g"}),
                "the JDK's default archive holds only its own classes");
    }

    @Test
    void anotherAgentIsFoundButNotThisOne() {
        String own = "/opt/agents/voicetrace-agent.jar";
        assertNull(JvmArguments.otherAgent(new String[] {"-javaagent:/opt/agents/voicetrace-agent.jar=debug",
                "-Xmx1g"}, own));
        assertNull(JvmArguments.otherAgent(new String[] {"-javaagent:/opt/agents/../agents/voicetrace-agent.jar"}, own));
        assertEquals("-javaagent:/opt/otel.jar", JvmArguments.otherAgent(new String[] {
            "-javaagent:/opt/agents/voicetrace-agent.jar", "-javaagent:/opt/otel.jar"}, own));
        assertEquals("-agentpath:/opt/libprofiler.so",
                JvmArguments.otherAgent(new String[] {"-agentpath:/opt/libprofiler.so"}, own));
        assertEquals("-agentlib:jdwp=transport=dt_socket",
                JvmArguments.otherAgent(new String[] {"-agentlib:jdwp=transport=dt_socket"}, own));
        assertEquals("-javaagent:voicetrace-agent.jar", JvmArguments.otherAgent(new String[] {
            "-javaagent:voicetrace-agent.jar"}, null), "when its own jar is unknown, any agent counts");
    }
}
