package dev.voicetrace.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading what a java.net.http request sent without side effects, and what a response delivered. */
class JdkHttpObservationTest {

    private static HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("https://api.elevenlabs.io/v1/text-to-speech/v"));
    }

    @Test
    void stringAndByteArrayBodiesAreReadAgain() throws Exception {
        String json = "{\"text\":\"Ça marche, à ce soir.\"}";
        HttpRequest ofString = request().POST(HttpRequest.BodyPublishers.ofString(json)).build();
        assertEquals(json, new String(JdkRequestBodies.replayableBody(ofString), StandardCharsets.UTF_8));
        assertEquals(json.getBytes(StandardCharsets.UTF_8).length, JdkRequestBodies.contentLength(ofString));
        assertEquals(json, new String(JdkRequestBodies.replayableBody(ofString), StandardCharsets.UTF_8),
                "as often as asked");

        byte[] audio = new byte[70_000];
        audio[69_999] = 7;
        HttpRequest ofBytes = request().POST(HttpRequest.BodyPublishers.ofByteArray(audio)).build();
        assertArrayEquals(audio, JdkRequestBodies.replayableBody(ofBytes));
    }

    @Test
    void otherPublishersAreNeverSubscribedTo() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        HttpRequest ofStream = request().POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(new byte[3]);
        })).build();
        assertNull(JdkRequestBodies.replayableBody(ofStream));
        assertEquals(0, opened.get(), "the application's stream supplier is not called");
        assertEquals(-1, JdkRequestBodies.contentLength(ofStream));
        HttpRequest get = request().GET().build();
        assertNull(JdkRequestBodies.replayableBody(get));
        assertEquals(-1, JdkRequestBodies.contentLength(get));
    }

    @Test
    void exchangeCopiesJsonAndCountsAudio() {
        HttpExchange json = new HttpExchange();
        json.onHeaders(200, Map.of("Content-Type", List.of("application/json; charset=utf-8")));
        assertTrue(json.copiesBody());
        byte[] part = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        json.onJsonBytes(part, 0, 3);
        json.onJsonBytes(part, 3, part.length - 3);
        assertArrayEquals(part, json.jsonBody());
        assertEquals(part.length, json.bodyBytes());
        assertEquals("application/json; charset=utf-8", json.header("content-type"));

        HttpExchange audio = new HttpExchange();
        audio.onHeaders(200, Map.of("content-type", List.of("audio/mpeg")));
        assertFalse(audio.copiesBody());
        audio.onOtherBytes(4096);
        audio.onOtherBytes(100);
        assertEquals(4196, audio.bodyBytes());
        assertNull(audio.jsonBody());

        HttpExchange error = new HttpExchange();
        error.onHeaders(500, Map.of("content-type", List.of("text/plain")));
        assertTrue(error.copiesBody(), "an error body is read whatever its type");
    }

    @Test
    void tooLargeJsonIsNotKept() {
        HttpExchange json = new HttpExchange();
        json.onHeaders(200, Map.of("content-type", List.of("application/json")));
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < 5; i++) {
            json.onJsonBytes(chunk, 0, chunk.length);
        }
        assertTrue(json.jsonTruncated());
        assertNull(json.jsonBody());
        assertEquals(5L * chunk.length, json.bodyBytes());
    }
}
