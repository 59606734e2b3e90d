package dev.voicetrace.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracePropagationTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @BeforeEach
    void enable() {
        TracePropagation.enable(true, true, (host, port) -> !host.equals("api.openai.com"), true, 2);
    }

    @AfterEach
    void reset() {
        TracePropagation.disable();
        TraceContext.set(null);
    }

    private static Map<String, String> asMap(String[] headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return map;
    }

    @Test
    void aTurnInContextLeavesAsTraceparentTracestateAndBaggage() {
        TurnIdentity turn = TurnIdentity.local(null, null);
        TraceContext.set(new TraceContext("call 7/ü,x=1", 3, new String[] {"user;42", null}, turn));

        Map<String, String> headers = asMap(TracePropagation.outgoingHeaders("dialogue.internal", 8080, null, false,
                false));

        assertEquals("00-" + turn.traceId + "-" + turn.spanId + "-01", headers.get("traceparent"));
        assertEquals("voicetrace=" + turn.traceId + "-" + turn.spanId + "-" + turn.openerSpanId,
                headers.get("tracestate"));
        assertEquals("session.id=call%207/%C3%BC%2Cx=1,user.id=user%3B42", headers.get("baggage"));
        assertEquals("call 7/ü,x=1", TracePropagation.baggageValue(headers.get("baggage"), "session.id"));
        assertEquals("user;42", TracePropagation.baggageValue(headers.get("baggage"), "user.id"));
        // The session's entry is made once per context: the next request carries the same text.
        assertEquals(headers, asMap(TracePropagation.outgoingHeaders("dialogue.internal", 8080, null, false, false)));

        TraceContext.set(new TraceContext(null, 3, new String[] {"user 9", null}, turn));
        assertEquals("user.id=user%209",
                asMap(TracePropagation.outgoingHeaders("dialogue.internal", 8080, null, false, false)).get("baggage"),
                "a user without a session");
    }

    @Test
    void headersTheRequestHasAreNeverReplaced() {
        TraceContext.set(new TraceContext("s", 1, null, TurnIdentity.local(null, null)));

        String[] headers = TracePropagation.outgoingHeaders("dialogue.internal", -1, "00-" + TRACE + "-" + SPAN + "-01",
                true, true);

        assertNull(headers, "the application's traceparent, tracestate and baggage stay alone");
        Map<String, String> onlyBaggageMissing = asMap(TracePropagation.outgoingHeaders("dialogue.internal", -1,
                "00-" + TRACE + "-" + SPAN + "-01", true, false));
        assertEquals(Map.of("baggage", "session.id=s"), onlyBaggageMissing);
    }

    @Test
    void nothingLeavesForAnExcludedHostWithoutAContextOrWhenOff() {
        assertNull(TracePropagation.outgoingHeaders("dialogue.internal", -1, null, false, false), "no context");
        TraceContext.set(new TraceContext("s", 1, null, TurnIdentity.local(null, null)));
        assertNull(TracePropagation.outgoingHeaders("api.openai.com", -1, null, false, false), "excluded host");
        assertTrue(TracePropagation.sendsTo("dialogue.internal", -1));
        assertFalse(TracePropagation.sendsTo("api.openai.com", -1), "a request there is not read further");
        assertFalse(TracePropagation.sendsTo(null, -1));
        TracePropagation.disable();
        assertNull(TracePropagation.outgoingHeaders("dialogue.internal", -1, null, false, false), "switched off");
        assertFalse(TracePropagation.sendsTo("dialogue.internal", -1), "switched off");
    }

    @Test
    void aTurnInsideAnOpenTelemetrySpanKeepsItsTrace() {
        TurnIdentity turn = TurnIdentity.local(TRACE, SPAN);
        assertEquals(TRACE, turn.traceId);
        assertEquals(SPAN, turn.parentSpanId);
        assertTrue(TracePropagation.isId(turn.spanId, 16));
        assertTrue(TracePropagation.isId(turn.openerSpanId, 16));
        TurnIdentity own = TurnIdentity.local(null, SPAN);
        assertTrue(TracePropagation.isId(own.traceId, 32));
        assertNull(own.parentSpanId);
    }

    @Test
    void traceparentIsReadAsW3cTraceContextSaysOrIgnored() {
        TurnIdentity read = TracePropagation.fromTraceparent("00-" + TRACE + "-" + SPAN + "-01");
        assertEquals(TRACE, read.traceId);
        assertEquals(SPAN, read.spanId);
        assertTrue(read.remote);
        assertNull(read.openerSpanId);
        // A later version may append fields after a dash.
        assertEquals(TRACE, TracePropagation.fromTraceparent("01-" + TRACE + "-" + SPAN + "-00-extra").traceId);
        for (String bad : new String[] {
            "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",
            "00-00000000000000000000000000000000-" + SPAN + "-01",
            "00-" + TRACE + "-0000000000000000-01",
            "ff-" + TRACE + "-" + SPAN + "-01",
            "00-" + TRACE + "-" + SPAN + "-01-extra",
            "00-" + TRACE + "-" + SPAN + "-0",
            "garbage"}) {
            assertNull(TracePropagation.fromTraceparent(bad), bad);
        }
    }

    @Test
    void anIncomingRequestPutsItsTurnAndSessionIntoTheThreadUntilItIsHandled() {
        TraceContext before = new TraceContext("earlier", 5);
        TraceContext.set(before);
        String root = "1111111111111111";
        String stt = "2222222222222222";

        Object token = TracePropagation.enterIncoming("00-" + TRACE + "-" + SPAN + "-01",
                "other=x, voicetrace=" + TRACE + "-" + root + "-" + stt, "user.id=u%2017, session.id=call-3;p=1");

        TraceContext during = TraceContext.current();
        assertEquals("call-3", during.sessionId);
        assertArrayEquals(new String[] {"u 17", null}, during.attributes);
        assertTrue(during.turn.remote);
        assertEquals(TRACE, during.turn.traceId);
        assertEquals(root, during.turn.spanId, "the turn root named in tracestate, not the caller's client span");
        assertEquals(stt, during.turn.openerSpanId);
        // The same request seen again (a filter, then the servlet) changes nothing.
        Object inner = TracePropagation.enterIncoming("00-" + TRACE + "-" + SPAN + "-01", null, null);
        TracePropagation.exitIncoming(inner);
        assertSame(during, TraceContext.current());

        TracePropagation.exitIncoming(token);
        assertSame(before, TraceContext.current());
    }

    @Test
    void anIncomingTraceparentAloneNamesTheParentSpan() {
        Object token = TracePropagation.enterIncoming("00-" + TRACE + "-" + SPAN + "-01", "voicetrace=broken", null);
        assertEquals(SPAN, TraceContext.current().turn.spanId);
        assertNull(TraceContext.current().sessionId);
        TracePropagation.exitIncoming(token);
        assertNull(TraceContext.current());
        TracePropagation.exitIncoming(TracePropagation.enterIncoming(null, null, "unrelated=1"));
        assertNull(TraceContext.current(), "a request naming no turn and no session changes nothing");
    }

    /** Spring's {@code HttpHeaders} as the WebFlux entry reads it: {@code getFirst(name)}. */
    public static final class Headers {
        private final Map<String, String> values;

        Headers(Map<String, String> values) {
            this.values = values;
        }

        public String getFirst(String name) {
            return values.get(name);
        }
    }

    /** Spring's {@code ServerHttpRequest} as the WebFlux entry reads it: {@code getHeaders()}. */
    public static final class Request {
        private final Headers headers;

        Request(Map<String, String> headers) {
            this.headers = new Headers(headers);
        }

        public Headers getHeaders() {
            return headers;
        }
    }

    @Test
    void aWebFluxHandlersMonoIsBuiltAndSubscribedInTheRequestsContext() throws Exception {
        ContextPropagation.enable("sessionId");
        try {
            Map<String, String> headers = new HashMap<>();
            headers.put("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
            headers.put("baggage", "session.id=call-9");
            Object token = TracePropagation.enterWebFlux(new Request(headers));
            TraceContext whileBuilding = TraceContext.current();
            assertEquals("call-9", whileBuilding.sessionId);
            reactor.core.publisher.Mono<String> handling = reactor.core.publisher.Mono.fromCallable(
                    () -> TraceContext.current() == null ? "none" : TraceContext.current().sessionId
                            + " " + TraceContext.current().turn.spanId);
            Object returned = TracePropagation.exitWebFlux(token, handling);
            assertNull(TraceContext.current(), "the server's thread gets its own context back");

            // The server subscribes later, on a thread of its own without any context.
            java.util.concurrent.ExecutorService server = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                String seen = server.submit(() -> ((reactor.core.publisher.Mono<?>) returned).block()).get()
                        .toString();
                assertEquals("call-9 " + SPAN, seen);
                assertNull(server.submit(TraceContext::current).get(), "and keeps none afterwards");
            } finally {
                server.shutdownNow();
            }

            Object unchanged = TracePropagation.enterWebFlux(new Request(new HashMap<>()));
            assertSame(handling, TracePropagation.exitWebFlux(unchanged, handling),
                    "a request without trace context keeps its handler's Mono");
        } finally {
            ContextPropagation.disable();
        }
    }
}
