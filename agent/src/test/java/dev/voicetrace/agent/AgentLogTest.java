package dev.voicetrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start-up work cut short by the JVM's exit says so at the debug level only. */
class AgentLogTest {

    private final BooleanSupplier realExiting = AgentLog.jvmExiting;

    @AfterEach
    void restore() {
        AgentLog.jvmExiting = realExiting;
        AgentLog.setThreshold(AgentLog.Level.INFO);
    }

    @Test
    void theJvmIsNotExitingWhileTestsRun() {
        assertFalse(realExiting.getAsBoolean());
    }

    @Test
    void startUpWorkWarnsWhileTheJvmRunsAndOnlyAtDebugOnceItExits() throws Exception {
        AgentLog.jvmExiting = () -> false;
        assertEquals(1, linesWritten(true, "while running"));
        AgentLog.jvmExiting = () -> true;
        assertEquals(0, linesWritten(true, "while exiting"));
        AgentLog.setThreshold(AgentLog.Level.DEBUG);
        String debug = written(true, "while exiting, debug on");
        assertTrue(debug.contains(" DEBUG while exiting, debug on"), debug);
    }

    @Test
    void otherThreadsWarnWhetherOrNotTheJvmExits() throws Exception {
        AgentLog.jvmExiting = () -> true;
        assertEquals(1, linesWritten(false, "from another thread"));
    }

    private static int linesWritten(boolean startUpWork, String message) throws Exception {
        String text = written(startUpWork, message);
        return text.isEmpty() ? 0 : text.split("\\R").length;
    }

    /** What a warning logged on a fresh thread writes to stderr. */
    private static String written(boolean startUpWork, String message) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Thread thread = new Thread(() -> {
                if (startUpWork) {
                    AgentLog.markStartUpWork();
                }
                AgentLog.warn(message);
            });
            thread.start();
            thread.join();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }
}
