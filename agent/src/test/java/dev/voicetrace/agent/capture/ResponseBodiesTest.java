package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseBodiesTest {

    /** Like a generated SDK's mapper, which leaves the stream open when it has read the document. */
    private static final com.fasterxml.jackson.databind.ObjectMapper SDK_MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .disable(com.fasterxml.jackson.core.JsonParser.Feature.AUTO_CLOSE_SOURCE);

    /** Shaped like a generated SDK's HTTP response: the body stream behind a public accessor. */
    public interface FakeHttpResponse {
        InputStream body();
    }

    /**
     * Shaped like the SDK's JSON handler: it is told of the response first (what the advice on its
     * {@code handle} method does), then reads the body of whatever response it then holds.
     */
    static JsonNode handle(FakeHttpResponse response, boolean instrumented) {
        Object[] arguments = {response};
        if (instrumented) {
            ResponseBodies.onHandling(arguments);
        }
        try {
            // As the SDK's mapper does: reads the document and stops, neither reading to the end
            // of the stream nor closing it (the SDK closes the response afterwards).
            InputStream body = ((FakeHttpResponse) arguments[0]).body();
            return SDK_MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SDK's lazily parsed response: {@code parse()} runs the JSON handler on the raw response. */
    static final class ParseableResponse implements FakeResponseFor<JsonNode> {
        final FakeHttpResponse raw;
        final boolean handlerInstrumented;

        ParseableResponse(String json, boolean handlerInstrumented) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            this.raw = () -> new ByteArrayInputStream(bytes);
            this.handlerInstrumented = handlerInstrumented;
        }

        @Override
        public JsonNode parse() {
            return handle(raw, handlerInstrumented);
        }

        @Override
        public InputStream body() {
            return raw.body();
        }

        @Override
        public void close() {
        }
    }

    static final class FakeParams {
    }

    private final OperationRegistry registry = new OperationRegistry();
    private final List<InFlightCall> finished = new ArrayList<>();
    private final CallTracker tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));

    @SuppressWarnings("unchecked")
    private FakeResponseFor<JsonNode> call(String responseJson) {
        return call(responseJson, true);
    }

    @SuppressWarnings("unchecked")
    private FakeResponseFor<JsonNode> call(String responseJson, boolean handlerInstrumented) {
        registry.register(FakeParams.class.getName(), "create",
                new OperationSpec("fake", "things.create", StageKind.LLM, false, (call, record) -> { }));
        Object handle = tracker.onEnter("create", new FakeParams());
        return (FakeResponseFor<JsonNode>) tracker.onExit(handle, new ParseableResponse(responseJson, handlerInstrumented), null);
    }

    @Test
    void theBodyTheSdkParsedForACallIsKeptAsTheCallsResponse() throws Exception {
        String json = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"caf\\u00e9 at nine\"}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}";
        FakeResponseFor<JsonNode> response = call(json);
        JsonNode parsed = response.parse();
        assertEquals("café at nine", parsed.path("choices").path(0).path("message").path("content").asText(),
                "the application gets what the SDK parsed");

        InFlightCall call = finished.get(0);
        assertEquals(Json.read(json), call.responseBodyJson());
        // The SDK's mapper (absent here) is not needed: the body is read instead of the object serialised.
        assertEquals(Json.read(json), new SdkJson("no.such.ObjectMappers").response(call));
    }

    @Test
    void aResponseHandledOutsideATracedParseIsLeftAlone() {
        FakeHttpResponse response = () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8));
        Object[] arguments = {response};
        ResponseBodies.onHandling(arguments);
        assertSame(response, arguments[0]);
    }

    @Test
    void withoutAKeptBodyTheResponseObjectIsSerialisedAsBefore() {
        // An SDK version whose JSON handler is not instrumented: the body is read, but not copied.
        FakeResponseFor<JsonNode> response = call("{\"ok\":true}", false);
        assertEquals(true, response.parse().path("ok").asBoolean());
        InFlightCall call = finished.get(0);
        assertNull(call.responseBodyJson());
        assertThrows(IllegalStateException.class, () -> new SdkJson("no.such.ObjectMappers").response(call),
                "the fallback asks the SDK's mapper");
    }

    @Test
    void theCopyIsAStandInThatReadsTheSameBytes() throws Exception {
        FakeResponseFor<JsonNode> response = call("{\"text\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(5000, response.parse().path("text").asText().length());
        assertEquals(5000, finished.get(0).responseBodyJson().path("text").asText().length());
        Object[] arguments = {(FakeHttpResponse) () -> new ByteArrayInputStream(new byte[0])};
        Object original = arguments[0];
        ResponseBodies.Parse parsing = ResponseBodies.parsing(finished.get(0));
        try {
            ResponseBodies.onHandling(arguments);
        } finally {
            ResponseBodies.parsed(null);
        }
        assertNotSame(original, arguments[0]);
        assertNull(parsing);
    }
}
