package dev.voicetrace.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicetrace.agent.capture.CallExtractor;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.json.JsonFixtures;
import dev.voicetrace.agent.model.StageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observers of both HTTP clients on real calls to a loopback server, driven the way the
 * inlined advice drives them (enter with the arguments or the call, exit with the result): the
 * application gets its body as usual, and the finished call reads as a stage record.
 */
class HttpClientObservationTest {

    private static final int AUDIO_BYTES = 44 + 48_000;

    private HttpServer server;
    private String base;
    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();
    private final CallTracker tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    private final SpeechVendorApis vendors = new SpeechVendorApis();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/listen", ex -> respond(ex, "application/json",
                JsonFixtures.json("/speech/deepgram-listen-response.json").toString().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/v1/speak", ex -> respond(ex, "audio/wav", new byte[AUDIO_BYTES]));
        server.createContext("/other", ex -> respond(ex, "text/plain", new byte[3]));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        JdkHttpClientCalls.register(registry, vendors.endpoints("127.0.0.1", "none", "none",
                JdkHttpClientCalls.OBSERVER));
        OkHttpCalls.register(registry, vendors.endpoints("127.0.0.1", "none", "none",
                OkHttpCalls.OBSERVER));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int offset = 0; offset < body.length; offset += 8192) {
                out.write(body, offset, Math.min(8192, body.length - offset));
                out.flush();
            }
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void jdkClientAudioReadAsAStream() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base
                        + "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hello there\"}")).build();
        HttpResponse.BodyHandler<InputStream> handler = HttpResponse.BodyHandlers.ofInputStream();
        Object[] arguments = {request, handler, null, null};
        Object handle = tracker.onEnterCall(JdkHttpClientCalls.KEY, arguments);
        assertNotNull(handle);
        assertNotSame(handler, arguments[1], "the application's handler is observed");
        CompletableFuture<HttpResponse<InputStream>> sent = HttpClient.newHttpClient()
                .sendAsync(request, (HttpResponse.BodyHandler) arguments[1]);
        Object returned = tracker.onExit(handle, sent, null);
        assertTrue(returned == sent, "the application keeps its own future");

        long read;
        try (InputStream in = sent.get(10, TimeUnit.SECONDS).body()) {
            read = in.readAllBytes().length;
        }
        assertEquals(AUDIO_BYTES, read);
        StageRecord record = extracted();
        assertEquals("aura-2-thalia-en", record.model);
        assertEquals("Hello there", record.inputText);
        assertEquals(AUDIO_BYTES, record.output.get("audio_bytes").asLong());
        assertEquals(1.0, record.output.get("duration_seconds").asDouble(), 1e-9);
        assertEquals("java.net.http", record.metadata.get("http_client"));
        assertTrue(record.firstOutputEpochNanos >= record.startEpochNanos
                && record.firstOutputEpochNanos <= record.endEpochNanos, "the first audio byte's time");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void jdkClientJsonAsAString() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/listen?model=nova-3"))
                .header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[32_044])).build();
        Object[] arguments = {request, HttpResponse.BodyHandlers.ofString(), null, null};
        Object handle = tracker.onEnterCall(JdkHttpClientCalls.KEY, arguments);
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                (HttpResponse.BodyHandler<String>) arguments[1]);
        tracker.onExit(handle, CompletableFuture.completedFuture(response), null);
        assertTrue(response.body().contains("\"transcript\""), "the application reads its JSON as usual");
        StageRecord record = extracted();
        assertEquals("Hi, I'd like to book a table for two tonight.", record.outputText);
        assertEquals(32_044, record.input.get("audio").get("bytes").asLong());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aConnectionFailureEndsTheCallWithItsError() throws Exception {
        server.stop(0);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/listen"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build();
        Object[] arguments = {request, HttpResponse.BodyHandlers.ofString(), null, null};
        Object handle = tracker.onEnterCall(JdkHttpClientCalls.KEY, arguments);
        CompletableFuture<HttpResponse<String>> sent = HttpClient.newHttpClient()
                .sendAsync(request, (HttpResponse.BodyHandler) arguments[1]);
        assertTrue(tracker.onExit(handle, sent, null) == sent);
        try {
            sent.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause() instanceof java.net.ConnectException, expected.toString());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (finished.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).error() instanceof java.net.ConnectException, String.valueOf(finished.get(0).error()));
    }

    @Test
    void otherRequestsAreLeftAlone() {
        HttpRequest other = HttpRequest.newBuilder(URI.create(base + "/other")).build();
        assertNull(tracker.onEnterCall(JdkHttpClientCalls.KEY, new Object[] {other, null, null, null}));
        HttpRequest elsewhere = HttpRequest.newBuilder(URI.create("http://localhost:1/v1/listen")).build();
        assertNull(tracker.onEnterCall(JdkHttpClientCalls.KEY, new Object[] {elsewhere, null, null, null}));
        OkHttpClient client = new OkHttpClient();
        assertNull(tracker.onEnterCall(OkHttpCalls.KEY,
                client.newCall(new Request.Builder().url(base + "/other").build()), new Object[0]));
    }

    @Test
    void okHttpJsonAndAudioClosedEarly() throws Exception {
        OkHttpClient client = new OkHttpClient();
        okhttp3.Call listen = client.newCall(new Request.Builder().url(base + "/v1/listen?model=nova-3")
                .post(RequestBody.create(new byte[16_044], MediaType.get("audio/wav"))).build());
        Object handle = tracker.onEnterCall(OkHttpCalls.KEY, listen, new Object[0]);
        assertNotNull(handle);
        Response response = (Response) tracker.onExit(handle, listen.execute(), null);
        String json;
        try (Response r = response) {
            json = r.body().string();
        }
        assertTrue(json.contains("table for two"), json);
        StageRecord heard = extracted();
        assertEquals("Hi, I'd like to book a table for two tonight.", heard.outputText);
        assertEquals("audio/wav", heard.input.get("audio").get("content_type").asText());
        assertEquals(16_044, heard.input.get("audio").get("bytes").asLong());
        assertEquals("okhttp", heard.metadata.get("http_client"));

        finished.clear();
        okhttp3.Call speak = client.newCall(new Request.Builder()
                .url(base + "/v1/speak?model=aura-2-thalia-en&encoding=linear16")
                .post(RequestBody.create("{\"text\":\"Hi\"}", MediaType.get("application/json"))).build());
        Object speakHandle = tracker.onEnterCall(OkHttpCalls.KEY, speak, new Object[0]);
        Response audio = (Response) tracker.onExit(speakHandle, speak.execute(), null);
        try (Response r = audio; InputStream in = r.body().byteStream()) {
            assertEquals(1000, in.readNBytes(1000).length);
        }
        StageRecord spoken = extracted();
        assertEquals("Hi", spoken.inputText, "OkHttp's own string body is read again");
        assertEquals("true", String.valueOf(spoken.output.path("interrupted").asBoolean()));
        assertTrue(spoken.output.get("audio_bytes").asLong() >= 1000);
        assertTrue(spoken.output.get("audio_bytes").asLong() < AUDIO_BYTES);
    }

    private StageRecord extracted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (finished.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, finished.size(), "one finished call");
        InFlightCall call = finished.get(0);
        assertNull(call.error());
        StageRecord record = new StageRecord();
        record.kind = call.spec().kind;
        record.provider = call.spec().provider;
        record.operation = call.spec().operation;
        // as the pipeline does before it runs the extractor
        record.startEpochNanos = call.startEpochNanos;
        record.endEpochNanos = call.endEpochNanos();
        record.firstOutputEpochNanos = call.firstOutputEpochNanos();
        call.spec().extractor.extract(call, record);
        return record;
    }
}
