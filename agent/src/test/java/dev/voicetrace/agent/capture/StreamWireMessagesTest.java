package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.model.StageKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class StreamWireMessagesTest {

    /** Shaped like a generated SDK's SSE message: the data text behind a public accessor. */
    public static final class FakeSseMessage {
        private final String event;
        private final String data;

        FakeSseMessage(String event, String data) {
            this.event = event;
            this.data = data;
        }

        public String getData() {
            return data;
        }
    }

    /** An item parsed from a message, as an SDK's stream yields it. */
    static final class Parsed {
        final String text;

        Parsed(String text) {
            this.text = text;
        }
    }

    /**
     * A stream that decodes its messages lazily on the consuming thread, as generated SDKs' SSE
     * handlers do: each decoded message is looked at (where the advice reports it), keep-alive
     * messages are skipped, the others parsed into the item yielded.
     */
    static class FakeSseStream implements FakeStreamResponse<Parsed> {
        final List<FakeSseMessage> messages;

        FakeSseStream(List<FakeSseMessage> messages) {
            this.messages = messages;
        }

        @Override
        public Stream<Parsed> stream() {
            Iterator<Parsed> items = new Iterator<Parsed>() {
                int next;
                Parsed ahead;

                @Override
                public boolean hasNext() {
                    while (ahead == null && next < messages.size()) {
                        FakeSseMessage message = messages.get(next++);
                        StreamWireMessages.onMessage(message);
                        if (!"ping".equals(message.event)) {
                            ahead = new Parsed(message.data);
                        }
                    }
                    return ahead != null;
                }

                @Override
                public Parsed next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Parsed item = ahead;
                    ahead = null;
                    return item;
                }
            };
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false);
        }

        @Override
        public void close() {
        }
    }

    private final List<InFlightCall> finished = new ArrayList<>();

    private InFlightCall streamingCall() {
        OperationSpec spec = new OperationSpec("fake", "things.create", StageKind.LLM, true, (call, record) -> { });
        return new InFlightCall(spec, null, new Object[0], finished::add, EpochClock.now(), null, 0, -1);
    }

    @SuppressWarnings("unchecked")
    private static List<Parsed> consume(InFlightCall call, FakeSseStream stream) {
        FakeStreamResponse<Parsed> observed = (FakeStreamResponse<Parsed>) ResultObservers.observe(call, stream);
        return observed.stream().collect(Collectors.toList());
    }

    @Test
    void eachItemIsPairedWithTheMessageItWasParsedFrom() throws Exception {
        FakeSseMessage first = new FakeSseMessage("delta", "{\"n\":1}");
        FakeSseMessage ping = new FakeSseMessage("ping", "{}");
        FakeSseMessage second = new FakeSseMessage("delta", "{\"n\":2,\"text\":\"caf\\u00e9\"}");
        FakeSseMessage third = new FakeSseMessage("delta", "{\"n\":3}");
        InFlightCall call = streamingCall();

        List<Parsed> items = consume(call, new FakeSseStream(List.of(first, ping, second, ping, third)));

        assertEquals(3, items.size());
        assertEquals(1, finished.size());
        assertSame(first, call.streamItemWireMessage(0));
        assertSame(second, call.streamItemWireMessage(1), "a skipped keep-alive is not paired with the next item");
        assertSame(third, call.streamItemWireMessage(2));
        assertNull(call.streamItemWireMessage(3));

        List<JsonNode> json = new SdkJson("no.such.ObjectMappers").streamItems(call);
        assertEquals(3, json.size());
        assertEquals(2, json.get(1).get("n").asInt());
        assertEquals("café", json.get(1).get("text").asText());
        assertEquals(3, json.get(2).get("n").asInt());
    }

    @Test
    void messagesSeenOutsideAnObservedStreamAreIgnored() {
        InFlightCall call = streamingCall();
        StreamWireMessages.onMessage(new FakeSseMessage("delta", "{\"n\":0}"));
        FakeSseMessage only = new FakeSseMessage("delta", "{\"n\":1}");

        consume(call, new FakeSseStream(List.of(only)));
        StreamWireMessages.onMessage(new FakeSseMessage("delta", "{\"n\":2}"));

        assertSame(only, call.streamItemWireMessage(0));
        assertNull(call.streamItemWireMessage(1));
    }

    @Test
    void anItemWithoutAMessageHasNoneAndAnEarlierMessageIsNotCarriedOver() {
        InFlightCall call = streamingCall();
        FakeSseMessage message = new FakeSseMessage("delta", "{\"n\":1}");
        // A stream whose first item comes with a message and whose second without (an SDK path the
        // advice does not see): the second item must not reuse the first one's message.
        FakeSseStream stream = new FakeSseStream(List.of(message)) {
            @Override
            public Stream<Parsed> stream() {
                return Stream.concat(super.stream(), Stream.of(new Parsed("{\"n\":2}")));
            }
        };

        List<Parsed> items = consume(call, stream);

        assertEquals(2, items.size());
        assertSame(message, call.streamItemWireMessage(0));
        assertNull(call.streamItemWireMessage(1));
    }
}
