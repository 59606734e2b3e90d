package com.example.voiceagent.bench;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's Jakarta endpoint: counts the text messages it receives. It lives outside the
 * {@code dev.voicetrace} packages, which the agent leaves alone, as an application's endpoint does.
 */
public final class CountingEndpoint extends Endpoint {

    private final CountDownLatch received;

    public CountingEndpoint(CountDownLatch received) {
        this.received = received;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(new Counter(received));
    }

    /** A handler class of its own (a lambda's received frames are not observed). */
    private static final class Counter implements MessageHandler.Whole<String> {
        private final CountDownLatch received;

        Counter(CountDownLatch received) {
            this.received = received;
        }

        @Override
        public void onMessage(String text) {
            received.countDown();
        }
    }
}
