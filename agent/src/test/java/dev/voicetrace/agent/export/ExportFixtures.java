package dev.voicetrace.agent.export;

import static dev.voicetrace.agent.link.Records.T0;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicetrace.agent.cost.UsageBuckets;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.link.Records;
import dev.voicetrace.agent.link.SequentialIds;
import dev.voicetrace.agent.projection.IngestionProjector;
import dev.voicetrace.agent.projection.OtlpProjector;
import dev.voicetrace.agent.projection.ProjectionContext;
import dev.voicetrace.agent.projection.Projector;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real encoded items (OTLP spans, ingestion events) and the wire formats AgentRuntime builds. */
final class ExportFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportFixtures() {}

    private static ProjectionContext context() {
        return new ProjectionContext("export-test", "test", null, "dev", new SequentialIds(), () -> T0);
    }

    static final OtlpProjector OTLP = new OtlpProjector(context());

    static WireFormat otlpFormat() {
        return OTLP.wireFormat();
    }

    static WireFormat ingestionFormat() {
        return new IngestionProjector(context()).wireFormat();
    }

    /** {@code count} encoded OTLP spans: model calls, each in a turn of its own. */
    static List<byte[]> spans(int count) {
        return items(OTLP, count);
    }

    /** {@code count} encoded generation-create events. */
    static List<byte[]> ingestionEvents(int count) {
        return items(new IngestionProjector(context()), count);
    }

    private static List<byte[]> items(Projector projector, int count) {
        Linker linker = new Linker(new SequentialIds(), "export-session", TimeUnit.SECONDS.toNanos(30));
        List<byte[]> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var record = Records.llm("question " + i, "answer " + i, i * 1000L, i * 1000L + 500);
            record.usage.put("input", 10L + i);
            UsageBuckets.apply(record);
            for (ObjectNode item : projector.observation(linker.link(record).observation)) {
                items.add(encode(item));
            }
        }
        return items;
    }

    /** An item of exactly {@code size} bytes (JSON; only its length matters to batching). */
    static byte[] sized(int size, int tag) {
        StringBuilder text = new StringBuilder("{\"t\":" + tag + ",\"p\":\"");
        while (text.length() < size - 2) {
            text.append('x');
        }
        text.append("\"}");
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] encode(ObjectNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
