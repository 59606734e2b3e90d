package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.instrument.membercheck.ReaderModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportCheckTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void aMissingInterceptedMemberMeansTheVersionIsNotInstrumented() {
        // subclasses in this package: no sdk-members.txt, so nothing is reported beside the verdict
        assertTrue(new SupportCheck(new ReaderModule("java.util.ArrayList#add") { }).supported(loader));
        assertFalse(new SupportCheck(new ReaderModule("java.util.ArrayList#add", "java.util.ArrayList#addLater") { })
                .supported(loader));
        assertFalse(new SupportCheck(new ReaderModule("com.example.sdk.Missing#call") { }).supported(loader));
    }

    @Test
    void theReadersMembersComeFromTheFileBesideTheModule() {
        List<String> members = SupportCheck.readMembers(ReaderModule.class);
        assertEquals(8, members.size(), "comments are not members: " + members);
        assertTrue(SupportCheck.readMembers(new ReaderModule() { }.getClass()).isEmpty(), "no file, no members");
    }

    @Test
    void readMembersMissingFromThisVersionAreFoundWithoutLoadingTheLibrary() {
        List<String> missing = new SupportCheck(new ReaderModule()).missingReadMembers(loader);
        // An inherited method counts (containsAll is AbstractCollection's); one of a|b suffices; a type
        // absent altogether is a part of the library the application does not have, not drift.
        assertEquals(List.of("java.util.ArrayList#renamedInANewerVersion",
                "java.util.ArrayList#field elementCountInOldVersions"), missing);
    }

    @Test
    void aSupportedVersionStillHasItsMissingReadMembersReportedAsDrift() throws InterruptedException {
        long before = SdkMembers.driftCount();
        assertTrue(new SupportCheck(new ReaderModule("java.util.ArrayList#add")).supported(loader),
                "members the readers miss do not stop the library from being traced");
        // reported on a background thread, so that the class being loaded does not wait for it
        for (int i = 0; i < 200 && SdkMembers.driftCount() < before + 2; i++) {
            Thread.sleep(25);
        }
        assertEquals(before + 2, SdkMembers.driftCount());
    }
}
