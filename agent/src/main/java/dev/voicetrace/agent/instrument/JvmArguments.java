package dev.voicetrace.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JVM's own arguments (those of {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}
 * included) for what {@link ClassLoadGate} must know: whether classes may come from a class-data
 * archive, and whether another agent shares the JVM.
 */
final class JvmArguments {

    /**
     * Options that use or build a class-data archive (application CDS, a dynamic archive, an AOT
     * cache), or that read options from a file not seen here.
     */
    private static final String[] ARCHIVE_OPTIONS = {
        "-XX:SharedArchiveFile", "-XX:+AutoCreateSharedArchive", "-XX:ArchiveClassesAtExit",
        "-XX:SharedClassListFile", "-XX:DumpLoadedClassList", "-Xshare:dump",
        "-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration", "-XX:AOTCacheOutput",
        "-XX:Flags", "-XX:VMOptionsFile",
    };

    /** Options that start an agent (a debugger's included: it can redefine classes too). */
    private static final String[] AGENT_OPTIONS = {"-javaagent:", "-agentlib:", "-agentpath:", "-Xrunjdwp"};

    private JvmArguments() {}

    /** The JVM's arguments, or null when they cannot be read. */
    static String[] read(Instrumentation instrumentation) {
        try {
            // From the JDK's internal VM class (opened to the agent for this): the management
            // API would load some fifty classes an application may not use.
            Module javaBase = Object.class.getModule();
            instrumentation.redefineModule(javaBase, Collections.emptySet(),
                    Map.of("jdk.internal.misc", Set.of(JvmArguments.class.getModule())), Collections.emptyMap(),
                    Collections.emptySet(), Collections.emptyMap());
            Class<?> vm = Class.forName("jdk.internal.misc.VM");
            return (String[]) vm.getMethod("getRuntimeArguments").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The first argument that uses or builds a class-data archive, or may name one; else null. */
    static String archiveOption(String[] arguments) {
        for (String argument : arguments) {
            for (String option : ARCHIVE_OPTIONS) {
                if (argument.startsWith(option)) {
                    return argument;
                }
            }
        }
        return null;
    }

    /** The first argument that starts an agent other than the one in {@code ownJar}, or null. */
    static String otherAgent(String[] arguments, String ownJar) {
        for (String argument : arguments) {
            for (String option : AGENT_OPTIONS) {
                if (argument.startsWith(option)
                        && !(option.equals("-javaagent:") && ownJar != null && isAgentJar(argument, ownJar))) {
                    return argument;
                }
            }
        }
        return null;
    }

    /** Whether {@code -javaagent:path[=options]} names the jar {@code ownJar} (a file name or path). */
    private static boolean isAgentJar(String argument, String ownJar) {
        String path = argument.substring("-javaagent:".length());
        int options = path.indexOf('=');
        if (options >= 0) {
            path = path.substring(0, options);
        }
        try {
            return java.nio.file.Paths.get(path).toAbsolutePath().normalize()
                    .equals(java.nio.file.Paths.get(ownJar).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
