package org.reactivestreams;

/** A test stand-in with the name and the methods of the Reactive Streams interface. */
public interface Subscriber<T> {
    void onSubscribe(Subscription subscription);

    void onNext(T item);

    void onError(Throwable t);

    void onComplete();
}
