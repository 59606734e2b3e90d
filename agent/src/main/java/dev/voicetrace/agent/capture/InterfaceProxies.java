package dev.voicetrace.agent.capture;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * JDK proxies that implement every interface of a library object (a callback, a publisher, a
 * response transformer), for observers that stand in for an argument the application passed.
 * The proxy class is made once per type. A type whose interfaces cannot be proxied (not public,
 * say) gets no proxy: the caller then leaves the object alone.
 */
public final class InterfaceProxies {

    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<Constructor<?>>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            Set<Class<?>> all = new LinkedHashSet<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    all.add(i);
                }
            }
            if (all.isEmpty()) {
                return null;
            }
            try {
                Class<?> proxyClass = Proxy.newProxyInstance(type.getClassLoader(), all.toArray(new Class<?>[0]),
                        (p, m, a) -> null).getClass();
                Constructor<?> constructor = proxyClass.getConstructor(InvocationHandler.class);
                constructor.setAccessible(true);
                return constructor;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private InterfaceProxies() {}

    /** A proxy with all interfaces of {@code target}'s type, or null when there can be none. */
    public static Object proxy(Object target, InvocationHandler handler) {
        if (target == null) {
            return null;
        }
        Constructor<?> constructor = CONSTRUCTORS.get(target.getClass());
        if (constructor == null) {
            return null;
        }
        try {
            return constructor.newInstance(handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether {@code type} or a supertype implements the interface of that name. */
    public static boolean implementsNamed(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(interfaceName) || implementsNamed(i, interfaceName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Calls {@code method} on {@code target}, rethrowing what the method threw. The methods are
     * public interface methods: skipping the per-call access check is safe and saves its cost.
     */
    @SuppressWarnings("deprecation") // isAccessible: canAccess needs an instance, which is not the point here
    public static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            if (!method.isAccessible()) {
                method.setAccessible(true);
            }
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
