package dev.voicetrace.agent.capture;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

/**
 * The handler of an observing proxy ({@link InterfaceProxies#proxy}): every call goes on to the
 * object the proxy stands in for, except what {@link #intercept} takes over. {@code equals} and
 * {@code hashCode} are the proxy's own identity, so that a proxy equals only itself and can be a
 * key wherever the application or the library keeps one.
 */
public abstract class ForwardingHandler implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = new Object[0];

    protected final Object target;

    protected ForwardingHandler(Object target) {
        this.target = target;
    }

    @Override
    public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object[] arguments = args == null ? NO_ARGUMENTS : args;
        String name = method.getName();
        if (arguments.length == 1 && "equals".equals(name)) {
            return proxy == arguments[0];
        }
        if (arguments.length == 0 && "hashCode".equals(name)) {
            return System.identityHashCode(proxy);
        }
        return intercept(name, method, arguments);
    }

    /**
     * What the proxy answers for a call other than {@code equals} and {@code hashCode};
     * {@link #forward} for what it does not observe.
     *
     * @param args the call's arguments, an empty array for none
     */
    protected abstract Object intercept(String name, Method method, Object[] args) throws Throwable;

    protected final Object forward(Method method, Object[] args) throws Throwable {
        return InterfaceProxies.forward(target, method, args);
    }
}
