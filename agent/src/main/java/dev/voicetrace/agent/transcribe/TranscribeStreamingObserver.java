package dev.voicetrace.agent.transcribe;

import dev.voicetrace.agent.awssdk.AwsEventStreamObserver;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.ReactiveStreamTap;
import dev.voicetrace.agent.capture.SdkMembers;
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

    static final int AUDIO_INDEX = 1;
    static final int HANDLER_INDEX = 2;

    private final AwsEventStreamObserver events = new AwsEventStreamObserver(HANDLER_INDEX);

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        if (arguments.length > AUDIO_INDEX && arguments[AUDIO_INDEX] != null) {
            Object audio = arguments[AUDIO_INDEX];
            Object observed = new AudioTap(call).tap(audio);
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

    /** Counts each audio event's chunk as the SDK receives it from the application. */
    static final class AudioTap extends ReactiveStreamTap {
        private final InFlightCall call;

        AudioTap(InFlightCall call) {
            this.call = call;
        }

        @Override
        protected void onNext(Object event) {
            if (event != null) {
                call.onRequestContentBytes(chunkSize(event));
            }
        }
    }

    /** The size of an event's {@code audioChunk()}; 0 for another event or an unreadable one. */
    static long chunkSize(Object event) {
        try {
            Method chunk = SdkMembers.method(event.getClass(), "audioChunk");
            Object bytes = chunk == null ? null : chunk.invoke(event);
            if (bytes == null) {
                return 0;
            }
            Method buffer = SdkMembers.method(bytes.getClass(), "asByteBuffer");
            Object view = buffer == null ? null : buffer.invoke(bytes);
            return view instanceof ByteBuffer ? ((ByteBuffer) view).remaining() : 0;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }

}
