package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.bootstrap.ClientCallListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartUpGateTest {

    /** Notes what reaches it, in order. */
    private static final class Recording implements ClientCallListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Object onEnter(String operation, Object receiver, Object request) {
            seen.add("enter " + operation);
            return "handle";
        }

        @Override
        public Object onEnterCall(String operationKey, Object receiver, Object[] arguments) {
            seen.add("enterCall " + operationKey);
            arguments[0] = "replaced";
            return "keyed";
        }

        @Override
        public Object onExit(Object handle, Object result, Throwable thrown) {
            seen.add("exit " + handle);
            return "wrapped";
        }
    }

    @Test
    void aCallStartedBeforeStartUpEndsWaitsForIt() throws Exception {
        Recording listener = new Recording();
        CompletableFuture<Void> startUp = new CompletableFuture<>();
        StartUpGate gate = new StartUpGate(listener, startUp);
        CompletableFuture<Object> handle = new CompletableFuture<>();
        Thread caller = new Thread(() -> handle.complete(gate.onEnter("Chat#create", null, "request")));
        caller.start();
        caller.join(300);
        assertTrue(caller.isAlive(), "the call waits while start-up runs");
        assertTrue(listener.seen.isEmpty(), "nothing reached the listener yet");

        startUp.complete(null);
        assertEquals("handle", handle.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("enter Chat#create"), listener.seen);
    }

    @Test
    void callsPassStraightThroughOnceStartUpIsDone() {
        Recording listener = new Recording();
        StartUpGate gate = new StartUpGate(listener, CompletableFuture.completedFuture(null));
        Object[] arguments = {"callback"};
        assertSame("keyed", gate.onEnterCall("okhttp.call", null, arguments));
        assertEquals("replaced", arguments[0], "the listener still sees and replaces the arguments");
        assertEquals("wrapped", gate.onExit("keyed", "result", null));
        assertEquals(List.of("enterCall okhttp.call", "exit keyed"), listener.seen);
    }

    @Test
    void aFailedStartUpStillLetsCallsBeTraced() {
        Recording listener = new Recording();
        CompletableFuture<Void> startUp = new CompletableFuture<>();
        startUp.completeExceptionally(new IllegalStateException("context propagation refused"));
        StartUpGate gate = new StartUpGate(listener, startUp);
        assertEquals("handle", gate.onEnter("Chat#create", null, "request"));
        assertFalse(listener.seen.isEmpty());
    }
}
