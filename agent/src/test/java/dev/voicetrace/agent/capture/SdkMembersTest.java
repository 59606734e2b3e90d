package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SdkMembersTest {

    /** Stands for an SDK model object: public getters, an Optional, a private field, a failing getter. */
    public static final class Message {
        private final String clientOptions = "options";

        public String role() {
            return "user";
        }

        public Optional<String> name() {
            return Optional.of("Ada");
        }

        public Optional<String> refusal() {
            return Optional.empty();
        }

        public List<String> parts() {
            return List.of("a", "b");
        }

        public String broken() {
            throw new IllegalStateException("not set");
        }
    }

    @Test
    void readsGettersUnwrappingOptionals() {
        Message message = new Message();
        assertEquals("user", SdkMembers.get(message, "role"));
        assertEquals("Ada", SdkMembers.get(message, "name"));
        assertNull(SdkMembers.get(message, "refusal"));
        assertEquals(List.of("a", "b"), SdkMembers.list(message, "parts"));
        assertNull(SdkMembers.get(null, "role"));
        assertNull(SdkMembers.get(message, "broken"), "a getter that throws reads as null");
        assertEquals("options", SdkMembers.field(message, "clientOptions"));
    }

    @Test
    void aMissingMemberIsDriftCountedOncePerClassAndMember() {
        long before = SdkMembers.driftCount();
        Message message = new Message();
        assertNull(SdkMembers.get(message, "renamedInANewerVersion"));
        assertNull(SdkMembers.get(message, "renamedInANewerVersion"));
        assertEquals(before + 1, SdkMembers.driftCount(), "reported once");
        assertNull(SdkMembers.field(message, "noSuchField"));
        assertEquals(before + 2, SdkMembers.driftCount());
        assertThrows(NoSuchMethodException.class, () -> SdkMembers.invoke(message, "renamedInANewerVersion"));
        assertEquals(before + 2, SdkMembers.driftCount(), "the same member again");
    }

    @Test
    void probesAndAlternativesAreNotDriftWhileOneExists() {
        long before = SdkMembers.driftCount();
        Message message = new Message();
        assertNull(SdkMembers.probe(message, "hasRole"), "a member some versions lack");
        assertEquals("user", SdkMembers.first(message, "getRole", "role"));
        assertNull(SdkMembers.first(message, "refusal", "role2"), "one of the names exists: no drift");
        assertEquals(before, SdkMembers.driftCount());
        assertNull(SdkMembers.first(message, "text", "getText"));
        assertEquals(before + 1, SdkMembers.driftCount(), "none of the spellings exists");
    }

    @Test
    void requiredReadsOfALibraryTypeAreLoggedWithTheirReaderButProbesAreNot() {
        // the build runs this module's tests with the read log on (see agent/pom.xml)
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean(SdkMembers.READ_LOG_PROPERTY));
        dev.langchain4j.data.message.UserMessage message = dev.langchain4j.data.message.UserMessage.from("Ada", "hi");
        assertEquals("Ada", SdkMembers.get(message, "name"));
        assertEquals("hi", SdkMembers.first(message, "text", "singleText"));
        SdkMembers.probe(message, "hasSingleText");
        String reader = "\t" + getClass().getPackageName();
        java.util.Set<String> log = SdkMembers.readLog();
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("dev.langchain4j.data.message.UserMessage#name" + reader), log.toString());
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("dev.langchain4j.data.message.UserMessage#text|singleText" + reader),
                "alternatives are one requirement: " + log);
        org.junit.jupiter.api.Assertions.assertFalse(log.stream().anyMatch(e -> e.startsWith("dev.langchain4j.data.message.UserMessage#hasSingleText")),
                "a probe is not required: " + log);
        org.junit.jupiter.api.Assertions.assertFalse(log.stream().anyMatch(e -> e.contains("SdkMembersTest$Message")),
                "the agent's own types are not SDK members");
    }
}
