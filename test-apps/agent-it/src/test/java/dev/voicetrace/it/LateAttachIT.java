package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent loaded into a running application (Agent-Class): the SDK's classes are already
 * loaded and in use, so they are retransformed; calls made after the attach are traced.
 */
class LateAttachIT {

    @Test
    void attachingToARunningApplicationTracesItsLaterCalls() throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", JvmRun.VOICE_APP_JAR.toString(), "dev.voicetrace.testapp.openai.LoadApp", "4", "20000"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("LANGFUSE_") || k.startsWith("VOICETRACE_"));
            builder.environment().put("LANGFUSE_PUBLIC_KEY", VoicePipelineIT.PUBLIC_KEY);
            builder.environment().put("LANGFUSE_SECRET_KEY", VoicePipelineIT.SECRET_KEY);
            builder.environment().put("LANGFUSE_HOST", langfuse.url());
            Process app = builder.start();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread out = pump(app.getInputStream(), stdout);
            Thread err = pump(app.getErrorStream(), stderr);
            try {
                // Let the application load the SDK and make calls before the agent arrives.
                Thread.sleep(3000);
                assertTrue(app.isAlive(), "the application is still making calls");
                VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
                try {
                    vm.loadAgent(JvmRun.AGENT_JAR.toString());
                } finally {
                    vm.detach();
                }
                assertTrue(app.waitFor(3, TimeUnit.MINUTES), "the application finishes");
                out.join();
                err.join();
            } finally {
                app.destroyForcibly();
            }
            String output = stdout.toString(StandardCharsets.UTF_8);
            String log = stderr.toString(StandardCharsets.UTF_8);
            assertEquals(0, app.exitValue(), output + log);
            assertTrue(log.contains("Voicetrace") && log.contains("started"), log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);
            assertTrue(output.startsWith("load done: threads=4 calls=20000 "), output);

            List<ReceivedSpan> spans = langfuse.awaitSpans(2, Duration.ofSeconds(30));
            langfuse.assertAllValid();
            long generations = spans.stream().filter(s -> s.name().equals("llm openai.chat.completions")).count();
            assertTrue(generations > 0 && generations < 20_000,
                    "calls after the attach are traced, those before are not: " + generations);
            assertFalse(spans.stream().anyMatch(s -> s.attribute("langfuse.observation.output") == null
                    && s.name().startsWith("llm ")), "every traced call has its output");
        }
    }

    private static Thread pump(java.io.InputStream from, ByteArrayOutputStream sink) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(sink);
            } catch (java.io.IOException ignored) {
                // The process ended; what was read is kept.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
