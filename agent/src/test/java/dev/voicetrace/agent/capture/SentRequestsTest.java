package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.model.StageKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentRequestsTest {

    /** Shaped like a generated SDK's HTTP request: the body behind a public accessor. */
    public static final class FakeHttpRequest {
        private final FakeBody body;

        FakeHttpRequest(FakeBody body) {
            this.body = body;
        }

        public FakeBody body() {
            return body;
        }
    }

    /** Shaped like the SDK's request body: the JSON it serialised once, written on demand. */
    public static final class FakeBody {
        private final String contentType;
        private final byte[] bytes;
        private final boolean repeatable;

        FakeBody(String contentType, String content, boolean repeatable) {
            this.contentType = contentType;
            this.bytes = content.getBytes(StandardCharsets.UTF_8);
            this.repeatable = repeatable;
        }

        public String contentType() {
            return contentType;
        }

        public boolean repeatable() {
            return repeatable;
        }

        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }
    }

    /** A request type registered under its own class name, as SDK params are. */
    static final class FakeParams {
    }

    private final OperationRegistry registry = new OperationRegistry();
    private final List<InFlightCall> finished = new ArrayList<>();
    private final CallTracker tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));

    private InFlightCall make(boolean streaming, Object seenRequest) {
        registry.register(FakeParams.class.getName(), "create",
                new OperationSpec("fake", "things.create", StageKind.LLM, streaming, (call, record) -> { }));
        Object handle = tracker.onEnter("create", new FakeParams());
        // What the advice on the SDK's request accessor reports while the call is being made.
        SentRequests.onRequest(seenRequest);
        tracker.onExit(handle, "response", null);
        return (InFlightCall) handle;
    }

    @Test
    void theRequestTheSdkReadDuringTheCallIsKeptAndItsJsonBodyRead() throws Exception {
        FakeHttpRequest request = new FakeHttpRequest(new FakeBody("application/json",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9\"}]}", true));
        InFlightCall call = make(false, request);

        assertSame(request, call.sentRequest());
        JsonNode body = new SdkJson("no.such.ObjectMappers").requestBody(call);
        assertEquals("gpt-4o-mini", body.get("model").asText());
        assertEquals("café", body.path("messages").path(0).path("content").asText());
    }

    @Test
    void aRequestReadOutsideACallIsNotKept() {
        InFlightCall call = make(false, null);
        SentRequests.onRequest(new FakeHttpRequest(new FakeBody("application/json", "{}", true)));
        assertNull(call.sentRequest());
    }

    @Test
    void aBodyThatIsNotRepeatableJsonIsNotUsed() {
        SdkJson json = new SdkJson("no.such.ObjectMappers");
        // The fallback serialises the request object with the SDK's mapper, absent here: it fails,
        // which shows the sent body was not used.
        InFlightCall multipart = make(false, new FakeHttpRequest(new FakeBody("multipart/form-data; boundary=x",
                "--x--", true)));
        assertThrows(NoSuchMethodException.class, () -> json.requestBody(multipart));
        InFlightCall oneShot = make(false, new FakeHttpRequest(new FakeBody("application/json", "{}", false)));
        assertThrows(NoSuchMethodException.class, () -> json.requestBody(oneShot));
        assertTrue(finished.size() >= 2);
    }

    @Test
    void aStreamingCallsBodyLosesTheStreamFieldTheSdkAdded() throws Exception {
        InFlightCall streaming = make(true, new FakeHttpRequest(new FakeBody("application/json",
                "{\"model\":\"gpt-4o-mini\",\"stream_options\":{\"include_usage\":true},\"stream\":true}", true)));
        JsonNode body = new SdkJson("no.such.ObjectMappers").requestBody(streaming);
        assertEquals("{\"model\":\"gpt-4o-mini\",\"stream_options\":{\"include_usage\":true}}", body.toString());
    }

    /**
     * The processing thread writes every sent body into one buffer it keeps: each tree must be
     * read from that body's bytes only, after a longer body, and after one too large to keep.
     */
    @Test
    void eachSentBodyIsReadFromItsOwnBytesWhatEverCameBefore() throws Exception {
        SdkJson json = new SdkJson("no.such.ObjectMappers");
        String large = "{\"input\":\"" + "x".repeat(BodyBuffer.MAX_KEPT_BYTES + 10) + "\"}";
        String[] bodies = {"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a long question\"}]}",
            "{\"model\":\"m\"}", large, "{\"n\":1}"};
        for (String content : bodies) {
            InFlightCall call = make(false, new FakeHttpRequest(new FakeBody("application/json", content, true)));
            assertEquals(content, json.requestBody(call).toString());
        }
    }
}
