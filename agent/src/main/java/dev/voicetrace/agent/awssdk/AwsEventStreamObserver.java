package dev.voicetrace.agent.awssdk;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import dev.voicetrace.agent.capture.SdkMembers;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Observes an AWS SDK v2 operation whose response is an event stream delivered to an
 * {@code EventStreamResponseHandler} argument (Bedrock's {@code converseStream}, Transcribe's
 * {@code startStreamTranscription}, ...). The handler at {@code handlerIndex} is replaced by a
 * proxy of the same interfaces that forwards everything and, on the way, puts an observing step
 * in front of the event publisher (each event becomes a stream item with its time; a cancelled
 * subscription ends the call as interrupted), hands the initial response to the call, ends the
 * call on {@code complete()} and records the error of {@code exceptionOccurred}. The publisher's
 * own operators ({@code map}, {@code doAfterOnCancel}) are used, so the application gets a
 * publisher of the SDK's type. The returned future ends a call that failed before any callback.
 */
public class AwsEventStreamObserver implements CallObserver {

    private final int handlerIndex;

    public AwsEventStreamObserver(int handlerIndex) {
        this.handlerIndex = handlerIndex;
    }

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        if (arguments.length <= handlerIndex || arguments[handlerIndex] == null) {
            return;
        }
        Object handler = arguments[handlerIndex];
        Object observed = InterfaceProxies.proxy(handler, new ObservingHandler(call, handler));
        if (observed != null) {
            arguments[handlerIndex] = observed;
        }
    }

    @Override
    public Object onResult(InFlightCall call, Object result) {
        if (result instanceof CompletableFuture) {
            // The handler's callbacks normally end the call first; this covers a request that
            // failed before any reached it. The application keeps its own future.
            ((CompletableFuture<?>) result).whenComplete((value, thrown) -> {
                if (thrown != null) {
                    call.fail(thrown);
                } else {
                    call.complete(false);
                }
            });
        }
        return result;
    }

    private static final class ObservingHandler extends ForwardingHandler {
        private final InFlightCall call;

        ObservingHandler(InFlightCall call, Object target) {
            super(target);
            this.call = call;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            int count = args.length;
            if ("onEventStream".equals(name) && count == 1 && args[0] != null) {
                args[0] = observed(args[0]);
            } else if ("responseReceived".equals(name) && count == 1) {
                call.onResponse(args[0]);
            } else if ("exceptionOccurred".equals(name) && count == 1 && args[0] instanceof Throwable) {
                call.fail((Throwable) args[0]);
            }
            try {
                return forward(method, args);
            } finally {
                if ("complete".equals(name) && count == 0) {
                    call.complete(false);
                }
            }
        }

        /** The publisher with an observing step; the publisher itself if its operators are missing. */
        private Object observed(Object publisher) {
            try {
                Function<Object, Object> note = event -> {
                    call.onStreamItem(event);
                    return event;
                };
                Method map = SdkMembers.require(publisher.getClass(), "map", Function.class);
                Object mapped = map.invoke(publisher, note);
                Method onCancel = SdkMembers.require(mapped.getClass(), "doAfterOnCancel", Runnable.class);
                Runnable cancelled = () -> call.complete(true);
                return onCancel.invoke(mapped, cancelled);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return publisher;
            }
        }
    }
}
