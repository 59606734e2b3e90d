package dev.voicetrace.agent.instrument.weave;

/**
 * A test on a type or a method. {@code and} and {@code or} narrow the element type as needed, so
 * that a test on names combines with one on methods alone ({@code named("create").and(takesArguments(2))}).
 */
@FunctionalInterface
public interface Matcher<T> {

    boolean matches(T element);

    default <U extends T> Matcher<U> and(Matcher<? super U> other) {
        return element -> matches(element) && other.matches(element);
    }

    default <U extends T> Matcher<U> or(Matcher<? super U> other) {
        return element -> matches(element) || other.matches(element);
    }
}
