package dev.voicetrace.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LangfuseStandInTest {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final LangfuseStandIn langfuse = new LangfuseStandIn();

    @AfterEach
    void stop() {
        langfuse.close();
    }

    private HttpResponse<String> post(String path, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(langfuse.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic cGstbGYtMTpzay1sZi0x")
                .header("x-langfuse-ingestion-version", "4");
        if (gzip) {
            request.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void urlIsLoopbackWithoutTrailingSlash() {
        assertTrue(langfuse.url().matches("http://127\\.0\\.0\\.1:\\d+"), langfuse.url());
    }

    @Test
    void gzipOtlpRequestIsRecordedDecodedAndFlattened() throws Exception {
        HttpResponse<String> response = post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), true);
        assertEquals(200, response.statusCode());
        assertEquals("{}", response.body());

        RecordedCall call = langfuse.requests().get(0);
        assertEquals("POST", call.method());
        assertEquals(LangfuseStandIn.OTLP_PATH, call.path());
        assertEquals("4", call.header("X-Langfuse-Ingestion-Version"), "header lookup is case-insensitive");
        assertTrue(call.gzipped());
        assertTrue(call.wireBodySize() < call.body().length, "wire size is the compressed size");
        assertEquals(Payloads.otlpRequest(), Payloads.JSON.readTree(call.bodyUtf8()));

        List<ReceivedSpan> spans = langfuse.awaitSpans(2, Duration.ofSeconds(5));
        ReceivedSpan root = spans.get(0);
        ReceivedSpan child = spans.get(1);
        assertEquals(Payloads.TRACE_ID, root.traceId());
        assertNull(root.parentSpanId());
        assertTrue(root.isRoot());
        assertEquals(1700000000000000000L, root.startTimeUnixNano(), "parsed from a string");
        assertEquals(1700000002500000000L, root.endTimeUnixNano());
        assertEquals(1, root.statusCode());
        assertEquals(Map.of("service.name", "voice-pipeline"), root.resourceAttributes());
        assertEquals("dev.voicetrace", root.scopeName());

        assertEquals(Payloads.ROOT_SPAN, child.parentSpanId());
        assertEquals("openai.chat", child.name());
        assertEquals(1700000001900000000L, child.endTimeUnixNano(), "parsed from a number");
        assertEquals("gpt-4o-mini", child.attribute("gen_ai.request.model"));
        assertEquals(10L, child.attribute("gen_ai.usage.input_tokens"));
        assertEquals(0.2, child.attribute("gen_ai.request.temperature"));
        assertEquals(Boolean.TRUE, child.attribute("voicetrace.streamed"));
        assertEquals(2, child.statusCode());
        assertEquals("HTTP 429", child.statusMessage());
        assertEquals(List.of(), langfuse.validateAll());
    }

    @Test
    void ingestionBatchGets207WithOneSuccessPerEvent() throws Exception {
        HttpResponse<String> response = post(LangfuseStandIn.INGESTION_PATH, utf8(Payloads.ingestionBatch()), false);
        assertEquals(207, response.statusCode());
        JsonNode answer = Payloads.JSON.readTree(response.body());
        assertEquals(3, answer.path("successes").size());
        assertEquals("ev-1", answer.at("/successes/0/id").asText());
        assertEquals(201, answer.at("/successes/2/status").asInt());
        assertEquals(0, answer.path("errors").size());
        assertEquals(List.of(), LangfuseSchema.load().validate(response.body(), "IngestionResponse"));

        List<JsonNode> events = langfuse.awaitIngestionEvents(3, Duration.ofSeconds(5));
        assertEquals("generation-create", events.get(2).path("type").asText());
        langfuse.assertAllValid();
    }

    @Test
    void scriptedStatusIsUsedOnceThenDefaultAnswersResume() throws Exception {
        langfuse.enqueueStatus(503, "{\"message\":\"overloaded\"}", Map.of("Retry-After", "1"));
        HttpResponse<String> first = post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false);
        assertEquals(503, first.statusCode());
        assertEquals("1", first.headers().firstValue("retry-after").orElse(null));
        HttpResponse<String> second = post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false);
        assertEquals(200, second.statusCode());
        assertEquals(2, langfuse.requests().size());
        assertEquals(0, langfuse.pendingScriptedAnswers());
    }

    @Test
    void enqueuedRejectionsBecomePerEventErrors() throws Exception {
        langfuse.enqueueIngestionRejections(Set.of("ev-3"));
        langfuse.enqueueIngestionRejections(2);
        JsonNode byId = Payloads.JSON.readTree(
                post(LangfuseStandIn.INGESTION_PATH, utf8(Payloads.ingestionBatch()), false).body());
        assertEquals(2, byId.path("successes").size());
        assertEquals("ev-3", byId.at("/errors/0/id").asText());
        assertEquals(400, byId.at("/errors/0/status").asInt());
        assertTrue(byId.at("/errors/0/message").isTextual());

        JsonNode byCount = Payloads.JSON.readTree(
                post(LangfuseStandIn.INGESTION_PATH, utf8(Payloads.ingestionBatch()), false).body());
        assertEquals(2, byCount.path("errors").size());
        assertEquals("ev-3", byCount.at("/successes/0/id").asText());
        assertEquals(List.of(), LangfuseSchema.load().validate(byCount.toString(), "IngestionResponse"));
    }

    @Test
    void delayHoldsTheAnswerBack() throws Exception {
        langfuse.enqueueDelay(Duration.ofMillis(400));
        long start = System.nanoTime();
        HttpResponse<String> response = post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, response.statusCode());
        assertTrue(millis >= 350, "answered after " + millis + " ms");
    }

    @Test
    void disconnectRecordsTheRequestButNeverAnswers() throws Exception {
        langfuse.enqueueDisconnect();
        assertThrows(IOException.class, () -> post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false));
        assertEquals(1, langfuse.requests().size());
        assertEquals(200, post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false).statusCode());
    }

    @Test
    void blackHoleRecordsTheRequestAndStaysSilentUntilTheClientGivesUp() throws Exception {
        langfuse.enqueueBlackHole();
        HttpRequest request = HttpRequest.newBuilder(URI.create(langfuse.url() + LangfuseStandIn.OTLP_PATH))
                .timeout(Duration.ofMillis(700))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(utf8(Payloads.otlpRequest())))
                .build();
        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 650, "no answer before the client's timeout, gave up after " + millis + " ms");
        assertEquals(1, langfuse.requests().size(), "the request was received and recorded");
        assertEquals(2, langfuse.otlpSpans().size());
        assertEquals(0, langfuse.pendingScriptedAnswers());

        assertEquals(200, post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false).statusCode(),
                "the black hole swallows one request; the next gets the default answer");
    }

    @Test
    void closeEndsAStalledBlackHoleConnectionPromptly() throws Exception {
        langfuse.enqueueBlackHole();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(
                HttpRequest.newBuilder(URI.create(langfuse.url() + LangfuseStandIn.OTLP_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(utf8(Payloads.otlpRequest())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        langfuse.awaitRequests(1, Duration.ofSeconds(5));
        assertFalse(pending.isDone(), "still waiting for an answer");

        long start = System.nanoTime();
        langfuse.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3000, "close took " + millis + " ms");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, failure.toString());
    }

    @Test
    void unknownRoutesGet404() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(langfuse.url() + "/api/public/traces?limit=1"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        assertEquals("limit=1", langfuse.requests().get(0).query());
    }

    @Test
    void awaitReportsWhatDidArrive() throws Exception {
        post(LangfuseStandIn.OTLP_PATH, utf8(Payloads.otlpRequest()), false);
        AssertionError error = assertThrows(AssertionError.class, () -> langfuse.awaitSpans(5, Duration.ofMillis(200)));
        assertTrue(error.getMessage().contains("but got 2"), error.getMessage());
        assertTrue(error.getMessage().contains("openai.chat"), error.getMessage());
    }

    @Test
    void validateAllReportsInvalidBodies() throws Exception {
        ObjectNode batch = Payloads.ingestionBatch();
        ((ObjectNode) batch.at("/batch/2/body")).put("level", "LOUD");
        post(LangfuseStandIn.INGESTION_PATH, utf8(batch), true);
        List<String> errors = langfuse.validateAll();
        System.out.println("[validateAll] " + errors);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("/batch/2/body/level"), errors.get(0));
        assertThrows(AssertionError.class, langfuse::assertAllValid);
    }
}
