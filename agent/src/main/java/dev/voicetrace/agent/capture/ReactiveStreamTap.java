package dev.voicetrace.agent.capture;

import java.lang.reflect.Method;

/**
 * Observes a Reactive Streams {@code Publisher} (the interfaces are the application's: the agent
 * proxies them and never links to them): a subscriber that subscribes through the tapped
 * publisher sees every signal as before, and the tap is told of each one. Used by every observer
 * that follows a stream of audio or body buffers. The callbacks run on the thread that signals and
 * must be cheap and must not throw.
 */
public abstract class ReactiveStreamTap {

    static final String SUBSCRIBER = "org.reactivestreams.Subscriber";

    /** A subscriber subscribed through the tapped publisher (before its {@code subscribe} goes on). */
    protected void onSubscribe() {}

    /** An item, before the subscriber's {@code onNext}. */
    protected void onNext(Object item) {}

    /** The stream failed, before the subscriber's {@code onError}. */
    protected void onError(Throwable error) {}

    /** The stream ended, after the subscriber's {@code onComplete} returned or threw. */
    protected void onComplete() {}

    /** The subscriber cancelled, after the subscription's {@code cancel} returned or threw. */
    protected void onCancel() {}

    /** Whether the tap needs the subscription's {@code cancel}; false spares a proxy per subscription. */
    protected boolean observesCancel() {
        return false;
    }

    /** The publisher with this tap, or null when it cannot be proxied (then use the publisher as it is). */
    public final Object tap(Object publisher) {
        return publisher == null ? null : InterfaceProxies.proxy(publisher, new PublisherHandler(publisher));
    }

    private final class PublisherHandler extends ForwardingHandler {
        PublisherHandler(Object publisher) {
            super(publisher);
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("subscribe".equals(name) && args.length == 1 && args[0] != null
                    && InterfaceProxies.implementsNamed(args[0].getClass(), SUBSCRIBER)) {
                Object subscriber = InterfaceProxies.proxy(args[0], new SubscriberHandler(args[0]));
                if (subscriber != null) {
                    onSubscribe();
                    return forward(method, new Object[] {subscriber});
                }
            }
            return forward(method, args);
        }
    }

    private final class SubscriberHandler extends ForwardingHandler {
        SubscriberHandler(Object subscriber) {
            super(subscriber);
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            int count = args.length;
            if ("onNext".equals(name) && count == 1) {
                onNext(args[0]);
            } else if ("onSubscribe".equals(name) && count == 1 && args[0] != null && observesCancel()) {
                Object subscription = InterfaceProxies.proxy(args[0], new SubscriptionHandler(args[0]));
                if (subscription != null) {
                    return forward(method, new Object[] {subscription});
                }
            } else if ("onComplete".equals(name) && count == 0) {
                try {
                    return forward(method, args);
                } finally {
                    onComplete();
                }
            } else if ("onError".equals(name) && count == 1 && args[0] instanceof Throwable) {
                onError((Throwable) args[0]);
            }
            return forward(method, args);
        }
    }

    private final class SubscriptionHandler extends ForwardingHandler {
        SubscriptionHandler(Object subscription) {
            super(subscription);
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if ("cancel".equals(name) && args.length == 0) {
                try {
                    return forward(method, args);
                } finally {
                    onCancel();
                }
            }
            return forward(method, args);
        }
    }
}
