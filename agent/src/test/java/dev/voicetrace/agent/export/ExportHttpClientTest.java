package dev.voicetrace.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter's HTTP client: built on the first request, its selector thread ended on close. */
class ExportHttpClientTest {

    private final MockWebServer receiver = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void nothingIsBuiltBeforeTheFirstRequest() {
        ExportHttpClient client = new ExportHttpClient(Duration.ofSeconds(2));
        assertNull(client.built());
        client.close();
        assertNull(client.built());
    }

    @Test
    void closingEndsTheClientsSelectorThread() throws Exception {
        ExportHttpClient client = new ExportHttpClient(Duration.ofSeconds(2));
        assertEquals(200, post(client.get()));
        HttpClient built = client.built();
        String name = ExportHttpClient.selectorThreadName(built);
        assertNotNull(name, built::toString);
        Thread selector = ExportHttpClient.findThread(name);
        assertNotNull(selector, name);
        assertTrue(selector.isAlive());

        client.close();

        selector.join(2000);
        assertFalse(selector.isAlive(), name + " still runs");
        assertNull(client.built());
    }

    @Test
    void aRequestAfterClosingGetsANewClient() throws Exception {
        ExportHttpClient client = new ExportHttpClient(Duration.ofSeconds(2));
        assertEquals(200, post(client.get()));
        HttpClient first = client.built();
        client.close();
        assertEquals(200, post(client.get()));
        assertNotSame(first, client.built());
        client.close();
    }

    private int post(HttpClient client) throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).build());
        HttpRequest request = HttpRequest.newBuilder(receiver.url("/v1/traces").uri())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
