package org.reactivestreams;

/** A test stand-in with the name and the methods of the Reactive Streams interface. */
public interface Subscription {
    void request(long n);

    void cancel();
}
