package dev.voicetrace.agent.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.voicetrace.bootstrap.TraceContext;
import dev.voicetrace.bootstrap.TracePropagation;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.io.Closeable;
import java.net.URL;
import java.net.URLClassLoader;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trace headers on a real OkHttp call, added as the agent's advice does before the call runs. */
class OkHttpTraceHeadersTest {

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient client = new OkHttpClient();
    private final TurnIdentity turn = TurnIdentity.local(null, null);

    @BeforeEach
    void start() throws Exception {
        server.start();
        TraceContext.set(new TraceContext("session-1", 1, null, turn));
    }

    @AfterEach
    void stop() throws Exception {
        TracePropagation.disable();
        TraceContext.set(null);
        server.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private RecordedRequest send(Request request) throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        Call call = client.newCall(request);
        OkHttpTraceHeaders.decorate(call);
        try (Response response = call.execute()) {
            assertEquals(200, response.code());
        }
        return server.takeRequest();
    }

    @Test
    void aCallToAListedHostCarriesTheTurnAndKeepsItsOwnHeaders() throws Exception {
        TracePropagation.enable(true, false, (host, port) -> port == server.getPort(), false, 0);

        RecordedRequest received = send(new Request.Builder().url(server.url("/dialogue"))
                .header("x-app", "kept").build());

        assertEquals("00-" + turn.traceId + "-" + turn.spanId + "-01", received.getHeaders().get("traceparent"));
        assertEquals("session.id=session-1", received.getHeaders().get("baggage"));
        assertEquals("kept", received.getHeaders().get("x-app"));
    }

    @Test
    void aCallElsewhereIsSentAsMade() throws Exception {
        TracePropagation.enable(true, false, (host, port) -> false, false, 0);

        RecordedRequest received = send(new Request.Builder().url(server.url("/v1/chat/completions")).build());

        assertNull(received.getHeaders().get("traceparent"));
        assertNull(received.getHeaders().get("tracestate"));
        assertNull(received.getHeaders().get("baggage"));
    }

    @Test
    void theApplicationsOwnTraceparentIsKept() throws Exception {
        TracePropagation.enable(true, false, (host, port) -> true, false, 0);
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        RecordedRequest received = send(new Request.Builder().url(server.url("/dialogue"))
                .header("traceparent", own).build());

        assertEquals(own, received.getHeaders().get("traceparent"));
    }

    @Test
    void callsOfAnOkHttpInALoaderTheAgentDoesNotSeeAreDecoratedToo() throws Exception {
        TracePropagation.enable(true, false, (host, port) -> port == server.getPort(), false, 0);
        server.enqueue(new MockResponse.Builder().body("ok").build());

        // OkHttp, Okio and Kotlin in a loader of their own, as in an application server or a
        // Spring Boot jar, that sees neither the agent's classes nor its bootstrap's.
        URL[] jars = {jarOf(OkHttpClient.class), jarOf(okio.Buffer.class), jarOf(kotlin.Unit.class)};
        try (URLClassLoader isolated = new URLClassLoader(jars, ClassLoader.getPlatformClassLoader())) {
            Class<?> clientType = isolated.loadClass("okhttp3.OkHttpClient");
            assertNotSame(OkHttpClient.class, clientType);
            Class<?> requestType = isolated.loadClass("okhttp3.Request");
            Object builder = isolated.loadClass("okhttp3.Request$Builder").getConstructor().newInstance();
            builder = builder.getClass().getMethod("url", String.class).invoke(builder, server.url("/dialogue").toString());
            Object request = builder.getClass().getMethod("build").invoke(builder);
            Object client = clientType.getConstructor().newInstance();
            Object call = clientType.getMethod("newCall", requestType).invoke(client, request);

            OkHttpTraceHeaders.decorate(call);
            try (Closeable response = (Closeable) call.getClass().getMethod("execute").invoke(call)) {
                assertEquals(requestType, response.getClass().getMethod("request").getReturnType());
            }
        }

        RecordedRequest received = server.takeRequest();
        assertEquals("00-" + turn.traceId + "-" + turn.spanId + "-01", received.getHeaders().get("traceparent"));
        assertEquals("session.id=session-1", received.getHeaders().get("baggage"));
    }

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
