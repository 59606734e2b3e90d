package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.awssdk.AwsPojoJson;
import dev.voicetrace.agent.awssdk.AwsEventStreamObserver;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Observes {@code startStreamTranscription(request, audioPublisher, responseHandler)}. The
 * response handler is observed as every AWS event-stream handler is ({@link AwsEventStreamObserver}).
 * The application's audio publisher is replaced by a proxy of the same interfaces: the subscriber
 * the SDK subscribes with is wrapped so that the audio chunk of every {@code AudioEvent} it pulls
 * is counted (its size only, read through the event's public {@code audioChunk()}) before the SDK
 * gets it. Everything else is forwarded unchanged.
 */
final class TranscribeStreamingObserver implements CallObserver {

    static final String SUBSCRIBER = "org.reactivestreams.Subscriber";
    static final int AUDIO_INDEX = 1;
    static final int HANDLER_INDEX = 2;

    private final AwsEventStreamObserver events = new AwsEventStreamObserver(HANDLER_INDEX);

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        if (arguments.length > AUDIO_INDEX && arguments[AUDIO_INDEX] != null) {
            Object audio = arguments[AUDIO_INDEX];
            Object observed = InterfaceProxies.proxy(audio, new AudioPublisherHandler(call, audio));
            if (observed != null) {
                arguments[AUDIO_INDEX] = observed;
            }
        }
        events.onArguments(call, arguments);
    }

    @Override
    public Object onResult(InFlightCall call, Object result) {
        return events.onResult(call, result);
    }

    /** The audio publisher: a subscriber that subscribes through it is observed. */
    static final class AudioPublisherHandler extends ForwardingHandler {
        private final InFlightCall call;

        AudioPublisherHandler(InFlightCall call, Object target) {
            super(target);
            this.call = call;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("subscribe".equals(name) && args.length == 1 && args[0] != null
                    && InterfaceProxies.implementsNamed(args[0].getClass(), SUBSCRIBER)) {
                Object subscriber = InterfaceProxies.proxy(args[0], new AudioSubscriberHandler(call, args[0]));
                if (subscriber != null) {
                    return forward(method, new Object[] {subscriber});
                }
            }
            return forward(method, args);
        }
    }

    /** Counts each audio event's chunk as the SDK receives it from the application. */
    static final class AudioSubscriberHandler extends ForwardingHandler {
        private final InFlightCall call;

        AudioSubscriberHandler(InFlightCall call, Object target) {
            super(target);
            this.call = call;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("onNext".equals(name) && args.length == 1 && args[0] != null) {
                call.onRequestContentBytes(chunkSize(args[0]));
            }
            return forward(method, args);
        }
    }

    /** The size of an event's {@code audioChunk()}; 0 for another event or an unreadable one. */
    static long chunkSize(Object event) {
        try {
            Method chunk = AUDIO_CHUNK.get(event.getClass());
            Object bytes = chunk == null ? null : chunk.invoke(event);
            if (bytes == null) {
                return 0;
            }
            Method buffer = AS_BYTE_BUFFER.get(bytes.getClass());
            Object view = buffer == null ? null : buffer.invoke(bytes);
            return view instanceof ByteBuffer ? ((ByteBuffer) view).remaining() : 0;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }

    private static final ClassValue<Method> AUDIO_CHUNK = AwsPojoJson.publicNoArg("audioChunk");
    /** {@code SdkBytes.asByteBuffer()}: a read-only view, no copy. */
    private static final ClassValue<Method> AS_BYTE_BUFFER = AwsPojoJson.publicNoArg("asByteBuffer");
}
