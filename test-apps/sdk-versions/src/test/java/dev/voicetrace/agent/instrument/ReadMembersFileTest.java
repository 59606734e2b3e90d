package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.provider.Provider;
import dev.voicetrace.agent.provider.Providers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Each provider's {@code sdk-members.txt}, what the install-time check verifies, is exactly what
 * its readers required while this module's tests drove them over this version of the real SDKs: a
 * member a reader starts to read is added to the check, and one no reader reads any more leaves
 * it. Runs after every other test class of the module (see {@code junit-platform.properties}).
 *
 * <p>To write the files anew after changing a reader:
 * {@code mvn verify -pl test-apps/sdk-versions/newest -am -Dvoicetrace.sdkMembers.update=true}.
 */
@Order(Integer.MAX_VALUE)
class ReadMembersFileTest {

    private static final Path RESOURCES = Paths.get(System.getProperty("voicetrace.agent.resources",
            "../../../agent/src/main/resources"));

    @Test
    void everyProvidersFileListsWhatItsReadersRequired() throws IOException {
        Set<String> log = SdkMembers.readLog();
        assumeTrue(!log.isEmpty(), "no reads were logged: run with the module's other tests and "
                + SdkMembers.READ_LOG_PROPERTY + "=true (the build sets it)");
        Map<String, Set<String>> read = readsByProvider(log, providerPackages());
        boolean update = Boolean.getBoolean("voicetrace.sdkMembers.update");
        List<String> differences = new ArrayList<>();
        for (String providerPackage : providerPackages()) {
            Path file = RESOURCES.resolve(providerPackage.replace('.', '/')).resolve(SupportCheck.READ_MEMBERS_FILE);
            Set<String> expected = read.getOrDefault(providerPackage, new TreeSet<>());
            Set<String> listed = Files.exists(file) ? new TreeSet<>(membersIn(file)) : new TreeSet<>();
            if (expected.equals(listed)) {
                continue;
            }
            if (update) {
                write(file, expected);
            } else {
                differences.add(providerPackage + ": read but not listed " + minus(expected, listed)
                        + ", listed but no longer read " + minus(listed, expected));
            }
        }
        assertEquals(List.of(), differences, "the members files differ from what the readers read;"
                + " write them anew with -Dvoicetrace.sdkMembers.update=true (see this test's comment)");
    }

    /** The read log's members, each under the provider whose package is nearest on its reading stack. */
    static Map<String, Set<String>> readsByProvider(Set<String> log, Set<String> providerPackages) {
        Map<String, Set<String>> byProvider = new TreeMap<>();
        for (String entry : log) {
            int tab = entry.indexOf('\t');
            String member = entry.substring(0, tab);
            for (String reader : entry.substring(tab + 1).split(",")) {
                if (providerPackages.contains(reader)) {
                    byProvider.computeIfAbsent(reader, p -> new TreeSet<>()).add(member);
                    break;
                }
            }
        }
        return byProvider;
    }

    private static Set<String> providerPackages() {
        Set<String> packages = new TreeSet<>();
        for (Provider provider : Providers.load(problem -> { })) {
            packages.add(provider.getClass().getPackageName());
        }
        return packages;
    }

    private static List<String> membersIn(Path file) throws IOException {
        List<String> members = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                members.add(line.trim());
            }
        }
        return members;
    }

    private static void write(Path file, Set<String> members) throws IOException {
        if (members.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("# The SDK members this provider's readers require, as type#member: what the agent checks in");
        lines.add("# the application's library version before the first call. Written by ReadMembersFileTest from");
        lines.add("# the members the readers read in the SDK version matrix (test-apps/sdk-versions); do not edit by hand.");
        lines.addAll(members);
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }
}
