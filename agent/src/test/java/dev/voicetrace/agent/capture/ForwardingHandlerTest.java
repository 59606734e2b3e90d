package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ForwardingHandlerTest {

    /** Notes each call it sees and lets it through. */
    private static final class Noting extends ForwardingHandler {
        final List<String> seen = new ArrayList<>();

        Noting(Object target) {
            super(target);
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            seen.add(name + "/" + args.length);
            return forward(method, args);
        }
    }

    @Test
    void forwardsEveryCallAndSeesItsArguments() throws Exception {
        Function<String, String> upper = text -> text.toUpperCase(java.util.Locale.ROOT);
        Noting handler = new Noting(upper);
        @SuppressWarnings("unchecked")
        Function<String, String> proxy = (Function<String, String>) InterfaceProxies.proxy(upper, handler);
        assertEquals("HI", proxy.apply("hi"));
        Callable<String> noArguments = () -> "done";
        Noting second = new Noting(noArguments);
        @SuppressWarnings("unchecked")
        Callable<String> callable = (Callable<String>) InterfaceProxies.proxy(noArguments, second);
        assertEquals("done", callable.call());
        assertEquals(List.of("apply/1"), handler.seen);
        assertEquals(List.of("call/0"), second.seen, "no arguments arrive as an empty array");
    }

    @Test
    void equalsAndHashCodeAreTheProxysOwnIdentity() {
        Runnable target = () -> { };
        Noting handler = new Noting(target);
        Object proxy = InterfaceProxies.proxy(target, handler);
        Object other = InterfaceProxies.proxy(target, new Noting(target));
        assertTrue(proxy.equals(proxy));
        assertFalse(proxy.equals(target));
        assertNotEquals(proxy, other, "two proxies of one target are two objects");
        assertEquals(System.identityHashCode(proxy), proxy.hashCode());
        assertTrue(handler.seen.isEmpty(), "equals and hashCode never reach intercept: " + handler.seen);
    }

    @Test
    void whatTheTargetThrowsReachesTheCallerUnwrapped() {
        IllegalStateException failure = new IllegalStateException("refused");
        Callable<String> failing = () -> {
            throw failure;
        };
        @SuppressWarnings("unchecked")
        Callable<String> proxy = (Callable<String>) InterfaceProxies.proxy(failing, new Noting(failing));
        assertSame(failure, assertThrows(IllegalStateException.class, proxy::call));
    }
}
