package dev.voicetrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicetrace.standin.LangfuseStandIn;
import dev.voicetrace.standin.ReceivedSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The voice pipeline in a separate JVM with the agent exporting to Langfuse and, beside it, to a
 * local OTLP receiver: the same spans arrive at both, each sink with its own requests; the OTLP
 * receiver reads them in the configured encoding, with the GenAI conventions and a resource that
 * says which process of which service sent them.
 */
class OtlpExportIT {

    private static final int TURNS = 2;
    /** Per turn a root; turn 1: STT, model call, tool, model call, TTS; turn 2: STT, model call, TTS. */
    private static final int SPANS = TURNS + 5 + 3;
    private static final String OTLP_TOKEN = "otlp-it-token-5c4b3a2918";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each encoding once: on two JDKs each gets one, on one JDK both run on it. */
    static Stream<Arguments> runs() {
        List<Path> jdks = Jdks.all();
        String[] protocols = {"http/protobuf", "http/json"};
        List<Arguments> runs = new ArrayList<>();
        for (int i = 0; i < Math.max(jdks.size(), protocols.length); i++) {
            runs.add(Arguments.of(jdks.get(i % jdks.size()), protocols[i % protocols.length]));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void theSameSpansReachAnOtlpReceiverBesideLangfuse(Path jdk, String protocol) throws Exception {
        try (LangfuseStandIn langfuse = new LangfuseStandIn(); OtlpReceiver receiver = new OtlpReceiver()) {
            JvmRun.Result run = JvmRun.on(jdk).withAgent().exportingTo(langfuse)
                    .property("voicetrace.otlp.endpoint", receiver.url())
                    .property("voicetrace.otlp.headers", "Authorization=Bearer%20" + OTLP_TOKEN + ",x-team=voice")
                    .property("voicetrace.otlp.protocol", protocol)
                    .env("OTEL_SERVICE_NAME", "media-gateway")
                    .env("OTEL_RESOURCE_ATTRIBUTES", "k8s.pod.name=gateway-0,deployment.region=eu-west")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, run.exitCode, run::toString);
            assertTrue(run.stdout.contains("pipeline done: " + TURNS + " turns"), run::toString);

            List<ReceivedSpan> langfuseSpans = langfuse.awaitSpans(SPANS, Duration.ofSeconds(30));
            List<OtlpReceiver.Received> otlpSpans = receiver.awaitSpans(SPANS, Duration.ofSeconds(30));
            assertEquals(SPANS, langfuseSpans.size(), run::toString);
            assertEquals(SPANS, otlpSpans.size(), run::toString);
            langfuse.assertAllValid();
            assertEquals(List.of(), receiver.problems());
            assertTrue(receiver.paths().stream().allMatch("POST /v1/traces"::equals), receiver.paths()::toString);

            // Each sink its own credentials: the OTLP headers never reach Langfuse, nor its keys the receiver.
            String contentType = protocol.equals("http/json") ? "application/json" : "application/x-protobuf";
            for (OtlpReceiver.Received span : otlpSpans) {
                assertEquals(contentType, span.contentType);
                assertEquals("Bearer " + OTLP_TOKEN, span.headers.get("authorization"));
                assertEquals("voice", span.headers.get("x-team"));
                assertNull(span.headers.get("x-langfuse-ingestion-version"));
            }
            langfuse.requests().forEach(call -> assertFalse(call.header("Authorization").contains(OTLP_TOKEN)));
            assertFalse(run.stderr.contains(OTLP_TOKEN), "header values are never logged");
            assertFalse(run.stdout.contains(OTLP_TOKEN));

            // The same spans, attribute for attribute; the OTLP sink adds the GenAI message attributes.
            Map<String, OtlpReceiver.Received> byId = new HashMap<>();
            otlpSpans.forEach(span -> byId.put(span.traceId + "/" + span.spanId, span));
            for (ReceivedSpan expected : langfuseSpans) {
                OtlpReceiver.Received actual = byId.get(expected.traceId() + "/" + expected.spanId());
                assertNotNull(actual, "span " + expected.name() + " did not reach the OTLP receiver");
                assertEquals(expected.name(), actual.name);
                Map<String, Object> extra = new HashMap<>(actual.attributes);
                extra.keySet().removeAll(expected.attributes().keySet());
                assertTrue(List.of("gen_ai.input.messages", "gen_ai.output.messages").containsAll(extra.keySet()),
                        "only message attributes are extra: " + extra.keySet());
                expected.attributes().forEach((key, value) ->
                        assertEquals(value, actual.attributes.get(key), expected.name() + " " + key));
                assertEquals(expected.resourceAttributes(), actual.resource, "one resource for both sinks");
            }

            // Who sent them.
            Map<String, Object> resource = otlpSpans.get(0).resource;
            assertEquals("media-gateway", resource.get("service.name"));
            UUID.fromString((String) resource.get("service.instance.id"));
            assertTrue(resource.get("process.pid") instanceof Long && (Long) resource.get("process.pid") > 0,
                    resource::toString);
            assertNotNull(resource.get("process.runtime.version"), resource::toString);
            assertEquals("voicetrace", resource.get("telemetry.distro.name"));
            assertEquals("gateway-0", resource.get("k8s.pod.name"));
            assertEquals("eu-west", resource.get("deployment.region"));

            // Every generation carries the GenAI conventions; model calls their messages.
            List<OtlpReceiver.Received> generations = otlpSpans.stream()
                    .filter(s -> "generation".equals(s.attributes.get("langfuse.observation.type")))
                    .collect(Collectors.toList());
            assertEquals(SPANS - TURNS - 1, generations.size());
            for (OtlpReceiver.Received generation : generations) {
                assertNotNull(generation.attributes.get("gen_ai.operation.name"), generation.name);
                assertEquals("openai", generation.attributes.get("gen_ai.provider.name"), generation.name);
                assertNotNull(generation.attributes.get("gen_ai.request.model"), generation.name);
                assertEquals("media-gateway", generation.attributes.get("langfuse.observation.metadata.service_name"));
            }
            List<OtlpReceiver.Received> modelCalls = generations.stream()
                    .filter(s -> "chat".equals(s.attributes.get("gen_ai.operation.name")))
                    .collect(Collectors.toList());
            assertEquals(3, modelCalls.size());
            for (OtlpReceiver.Received call : modelCalls) {
                JsonNode input = JSON.readTree((String) call.attributes.get("gen_ai.input.messages"));
                assertTrue(input.size() > 0 && input.get(0).has("role") && input.get(0).get("parts").isArray(),
                        input::toString);
                JsonNode output = JSON.readTree((String) call.attributes.get("gen_ai.output.messages"));
                assertEquals("assistant", output.at("/0/role").asText(), output::toString);
                assertTrue(call.attributes.get("gen_ai.usage.input_tokens") instanceof Long, call.name);
                assertTrue(call.attributes.get("gen_ai.response.finish_reasons") instanceof List, call.name);
            }

            // Each sink counts for itself.
            assertTrue(run.stderr.contains("OTLP sink: queued=" + SPANS + " sent=" + SPANS + " failed=0"),
                    run::toString);
            assertTrue(run.stderr.contains("and OTLP " + protocol + " at " + receiver.url() + "/v1/traces (headers"
                    + " Authorization, x-team)"), run::toString);
        }
    }

    @org.junit.jupiter.api.Test
    void withoutLangfuseKeysTheOtlpEndpointIsTheOnlySink(@org.junit.jupiter.api.io.TempDir Path directory)
            throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            JvmRun.Result run = JvmRun.on(Jdks.all().get(0)).withAgent().in(directory)
                    .env("VOICETRACE_OTLP_ENDPOINT", receiver.url())
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, run.exitCode, run::toString);
            List<OtlpReceiver.Received> spans = receiver.awaitSpans(SPANS, Duration.ofSeconds(30));
            assertEquals(SPANS, spans.size(), run::toString);
            assertEquals(List.of(), receiver.problems());
            assertEquals("application/x-protobuf", spans.get(0).contentType, "protobuf is the default");
            assertEquals("voicetrace-app", spans.get(0).resource.get("service.name"));
            try (Stream<Path> files = java.nio.file.Files.list(directory)) {
                assertEquals(List.of(), files.collect(Collectors.toList()), "no local events file, no report");
            }
            assertTrue(run.stderr.contains("exporting to OTLP http/protobuf at " + receiver.url() + "/v1/traces"),
                    run::toString);
            assertTrue(run.stderr.contains("Voicetrace stopped: queued=" + SPANS + " sent=" + SPANS + " failed=0"),
                    run::toString);
            assertFalse(run.stderr.contains("OTLP sink:"), "one sink, one set of counters: " + run.stderr);
        }
    }

    @org.junit.jupiter.api.Test
    void anUnreachableOtlpEndpointDoesNotHoldBackLangfuse() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort + "/v1/traces";
        try (LangfuseStandIn langfuse = new LangfuseStandIn()) {
            JvmRun.Result run = JvmRun.on(Jdks.all().get(0)).withAgent().exportingTo(langfuse)
                    .property("voicetrace.otlp.endpoint", endpoint)
                    .property("voicetrace.shutdown.timeout.ms", "2000")
                    .jar(JvmRun.VOICE_APP_JAR, "--turns", "" + TURNS)
                    .run(VoicePipelineIT.RUN_TIMEOUT);
            assertEquals(0, run.exitCode, run::toString);
            List<ReceivedSpan> spans = langfuse.awaitSpans(SPANS, Duration.ofSeconds(30));
            assertEquals(SPANS, spans.size(), run::toString);
            langfuse.assertAllValid();
            // Langfuse's counters are whole; the OTLP sink's own say nothing reached it.
            assertTrue(run.stderr.contains("Voicetrace stopped: queued=" + SPANS + " sent=" + SPANS + " failed=0"),
                    run::toString);
            assertTrue(run.stderr.contains("OTLP sink: queued=" + SPANS + " sent=0"), run::toString);
            assertTrue(run.stderr.contains("of them for the OTLP endpoint " + endpoint + ")"),
                    "the loss is put on the sink that had it: " + run.stderr);
            assertFalse(run.stderr.contains("Langfuse is unavailable"), run::toString);
        }
    }
}
