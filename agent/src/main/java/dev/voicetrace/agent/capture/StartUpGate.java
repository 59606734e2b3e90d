package dev.voicetrace.agent.capture;

import dev.voicetrace.bootstrap.ClientCallListener;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Holds back a traced call that starts before the agent's start-up work is done (context
 * propagation into the JDK's thread pools and threads): a call let through earlier could hand its
 * work to a pool that does not carry the session and turn yet. Only calls wait, not the loading
 * of the SDK's classes, so an application builds its clients while that work runs beside it, and
 * its first call rarely finds it unfinished. Once the work is done the runtime installs the
 * listener itself in this gate's place, and calls no longer pass through here.
 */
public final class StartUpGate implements ClientCallListener {

    /** How long a call waits at most: past it the call is traced without that work. */
    private static final long WAIT_SECONDS = 30;

    private final ClientCallListener listener;
    private final Future<?> startUp;
    private volatile boolean open;

    public StartUpGate(ClientCallListener listener, Future<?> startUp) {
        this.listener = listener;
        this.startUp = startUp;
    }

    @Override
    public Object onEnter(String operation, Object receiver, Object request) {
        awaitStartUp();
        return listener.onEnter(operation, receiver, request);
    }

    @Override
    public Object onEnterCall(String operationKey, Object receiver, Object[] arguments) {
        awaitStartUp();
        return listener.onEnterCall(operationKey, receiver, arguments);
    }

    @Override
    public Object onExit(Object handle, Object result, Throwable thrown) {
        return listener.onExit(handle, result, thrown);
    }

    private void awaitStartUp() {
        if (open) {
            return;
        }
        try {
            startUp.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // That work reports its own failure; the call is traced all the same.
        }
        open = true;
    }
}
