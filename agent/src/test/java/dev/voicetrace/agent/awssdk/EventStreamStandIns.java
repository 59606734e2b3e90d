package dev.voicetrace.agent.awssdk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Stand-ins for the AWS SDK's event-stream types, for observer tests that must not load the SDK:
 * a response handler ({@code ConverseStreamResponseHandler},
 * {@code StartStreamTranscriptionResponseHandler}), the application's handler, and the event
 * publisher ({@code SdkPublisher}) with the two operators the observer applies.
 */
public final class EventStreamStandIns {

    private EventStreamStandIns() {}

    /** The SDK's response handler interface. */
    public interface ResponseHandler {
        void responseReceived(Object response);

        void onEventStream(Object publisher);

        void exceptionOccurred(Throwable error);

        void complete();
    }

    /** {@code SdkPublisher}: emits to its subscriber through the operators applied to it. */
    public static final class EventPublisher {
        private final Function<Object, Object> mapping;
        public Runnable onCancel;

        public EventPublisher(Function<Object, Object> mapping) {
            this.mapping = mapping;
        }

        public EventPublisher map(Function<Object, Object> next) {
            return new EventPublisher(mapping.andThen(next));
        }

        public EventPublisher doAfterOnCancel(Runnable action) {
            EventPublisher publisher = new EventPublisher(mapping);
            publisher.onCancel = action;
            return publisher;
        }

        /** What a subscriber receives for an event the service sent. */
        public Object emit(Object event) {
            return mapping.apply(event);
        }
    }

    /** The application's handler: keeps the publisher it was given and what the SDK told it. */
    public static final class AppHandler implements ResponseHandler {
        public EventPublisher events;
        public final List<String> seen = new ArrayList<>();

        @Override
        public void responseReceived(Object response) {
            seen.add("response");
        }

        @Override
        public void onEventStream(Object publisher) {
            events = (EventPublisher) publisher;
        }

        @Override
        public void exceptionOccurred(Throwable error) {
            seen.add("error " + error.getMessage());
        }

        @Override
        public void complete() {
            seen.add("complete");
        }
    }
}
