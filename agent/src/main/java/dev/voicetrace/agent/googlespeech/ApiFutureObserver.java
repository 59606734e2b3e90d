package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.InFlightCall;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * Observes a call that returns a gax {@code ApiFuture} (a long-running operation's
 * {@code OperationFuture}): a listener on the future reads its result once it is done, and the
 * call ends then. The future the application gets is its own, untouched.
 */
final class ApiFutureObserver implements CallObserver {

    private static final Executor DIRECT = Runnable::run;

    @Override
    public Object onResult(InFlightCall call, Object result) {
        if (!(result instanceof Future)) {
            call.onResponse(result);
            call.complete(false);
            return result;
        }
        Future<?> future = (Future<?>) result;
        try {
            Method addListener = result.getClass().getMethod("addListener", Runnable.class, Executor.class);
            addListener.setAccessible(true);
            addListener.invoke(result, (Runnable) () -> finish(call, future), DIRECT);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not an ApiFuture: the call is not followed to its end
            call.complete(false);
        }
        return result;
    }

    private static void finish(InFlightCall call, Future<?> future) {
        try {
            // the listener runs once the future is done: get() does not wait
            call.onResponse(future.get());
            call.complete(false);
        } catch (ExecutionException e) {
            call.fail(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.complete(true);
        } catch (RuntimeException e) {
            // cancelled
            call.complete(true);
        }
    }
}
