package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.voicetrace.agent.model.StageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ArgumentSnapshotTest {

    @Test
    void aConversationListIsReadAsItWasWhenTheCallWasMade() {
        List<InFlightCall> finished = new CopyOnWriteArrayList<>();
        OperationRegistry registry = new OperationRegistry();
        registry.registerKey("test.generate", new OperationSpec("fake", "generate", StageKind.LLM, false,
                (call, record) -> {}));
        CallTracker tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
        List<String> contents = new ArrayList<>(List.of("What is the weather in Lisbon?"));
        Object config = new Object();

        Object handle = tracker.onEnterCall("test.generate", new Object[] {"model", contents, config});
        assertNotNull(handle);
        tracker.onExit(handle, "reply", null);
        // The application goes on with the same list, as a chat does, before the agent reads it.
        contents.add("It is sunny.");
        contents.add("Then a walk it is.");

        Object[] read = finished.get(0).arguments();
        assertEquals(List.of("What is the weather in Lisbon?"), read[1]);
        assertSame(config, read[2], "other arguments are the application's own objects");
    }
}
