package dev.voicetrace.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Carries the {@link TraceContext} through Project Reactor's operators, whose signals may arrive on
 * any thread (a Netty event loop delivering a request body, a scheduler's worker, an HTTP client's
 * callback thread). Work handed to Reactor's schedulers is carried by the executor advice already;
 * what it cannot see is a signal ({@code onNext}, {@code onError}, {@code onComplete}) emitted by a
 * thread that never had the subscriber's context.
 *
 * <p>When the application's {@code reactor.core.publisher.Hooks} class is initialised, one
 * {@code Hooks.onEachOperator} entry is registered (by reflection on the application's own Reactor,
 * so that the agent never loads a Reactor class the application does not have): an
 * {@code Operators.lift} whose lifter runs when each operator is subscribed. A subscription made
 * without a context is left untouched (one thread-local read); one made in a context hands its
 * operator a subscriber that makes that context current around each signal and puts the thread's
 * own back afterwards, so a worker shared by many conversations never carries one into another's
 * signals.
 *
 * <p>The wrapper is a {@link Proxy} of {@code reactor.core.CoreSubscriber}: not a
 * {@code QueueSubscription}, so Reactor does not fuse across it, and every signal to a subscriber
 * made in a context passes through it.
 */
public final class ReactorPropagation {

    /** The key of the agent's {@code Hooks.onEachOperator} entry. */
    public static final String HOOK_KEY = "dev.voicetrace.context";

    private static final String HOOKS = "reactor.core.publisher.Hooks";
    private static volatile Throwable installFailure;
    private static volatile boolean installed;

    private ReactorPropagation() {}

    /**
     * {@code hooks} (Reactor's {@code Hooks} class) is initialised: operators assembled from now on
     * carry their subscribers' contexts. Does nothing when context propagation is off.
     *
     * @return whether the hook is registered
     */
    public static boolean install(Class<?> hooks) {
        try {
            if (hooks == null || !HOOKS.equals(hooks.getName()) || !ContextPropagation.isEnabled()) {
                return false;
            }
            ClassLoader loader = hooks.getClassLoader();
            Class<?> operators = Class.forName("reactor.core.publisher.Operators", false, loader);
            Class<?> coreSubscriber = Class.forName("reactor.core.CoreSubscriber", false, loader);
            Object lift = operators.getMethod("lift", BiFunction.class)
                    .invoke(null, new SubscriberDecorator(coreSubscriber));
            hooks.getMethod("onEachOperator", String.class, Function.class).invoke(null, HOOK_KEY, lift);
            installed = true;
            return true;
        } catch (Throwable e) {
            installFailure = e instanceof InvocationTargetException ? e.getCause() : e;
            return false;
        }
    }

    /** Whether a Reactor's hook was registered (for diagnostics and tests). */
    public static boolean isInstalled() {
        return installed;
    }

    /** Why registering the hook failed, or null. */
    public static Throwable installFailure() {
        return installFailure;
    }

    /**
     * {@code publisher} (a {@code Mono} built for a request) subscribed in {@code context}: a
     * {@code Mono} of the same Reactor whose subscription, whenever and on whatever thread it
     * happens, runs in that context, so every operator of the request's pipeline is subscribed in
     * it. {@code publisher} itself when that cannot be made.
     */
    public static Object subscribedIn(Object publisher, TraceContext context) {
        try {
            if (publisher == null || context == null) {
                return publisher;
            }
            MonoAccess access = MONO.get(publisher.getClass());
            if (access == null) {
                return publisher;
            }
            Object inContext = Proxy.newProxyInstance(access.publisher.getClassLoader(),
                    new Class<?>[] {access.publisher}, new SubscribingInContext(publisher, context));
            return access.fromDirect.invoke(null, inContext);
        } catch (Throwable ignored) {
            return publisher;
        }
    }

    /** {@code Mono.fromDirect} and the {@code Publisher} interface of the Reactor a class was built with. */
    private static final class MonoAccess {
        final Class<?> publisher;
        final Method fromDirect;

        MonoAccess(Class<?> publisher, Method fromDirect) {
            this.publisher = publisher;
            this.fromDirect = fromDirect;
        }
    }

    private static final ClassValue<MonoAccess> MONO = new ClassValue<MonoAccess>() {
        @Override
        protected MonoAccess computeValue(Class<?> type) {
            try {
                ClassLoader loader = type.getClassLoader();
                Class<?> mono = Class.forName("reactor.core.publisher.Mono", false, loader);
                Class<?> publisher = Class.forName("org.reactivestreams.Publisher", false, loader);
                if (!mono.isAssignableFrom(type)) {
                    return null;
                }
                return new MonoAccess(publisher, mono.getMethod("fromDirect", publisher));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    /** The lifter: a subscriber subscribed in a context gets that context around its signals. */
    static final class SubscriberDecorator implements BiFunction<Object, Object, Object> {
        private final Class<?> coreSubscriber;

        SubscriberDecorator(Class<?> coreSubscriber) {
            this.coreSubscriber = coreSubscriber;
        }

        @Override
        public Object apply(Object operator, Object subscriber) {
            TraceContext context = TraceContext.current();
            if (context == null || subscriber == null) {
                return subscriber;
            }
            try {
                if (Proxy.isProxyClass(subscriber.getClass())
                        && Proxy.getInvocationHandler(subscriber) instanceof SignallingInContext
                        && ((SignallingInContext) Proxy.getInvocationHandler(subscriber)).context == context) {
                    return subscriber;
                }
                return Proxy.newProxyInstance(coreSubscriber.getClassLoader(), new Class<?>[] {coreSubscriber},
                        new SignallingInContext(subscriber, context));
            } catch (Throwable ignored) {
                return subscriber;
            }
        }
    }

    /** A subscriber's signals ({@code onSubscribe}, {@code onNext}, {@code onError}, {@code onComplete}) run in its context. */
    static final class SignallingInContext implements InvocationHandler {
        final Object subscriber;
        final TraceContext context;

        SignallingInContext(Object subscriber, TraceContext context) {
            this.subscriber = subscriber;
            this.context = context;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, subscriber);
            }
            if (!method.getName().startsWith("on")) {
                return call(subscriber, method, args); // currentContext() and other queries
            }
            TraceContext previous = TraceContext.current();
            if (previous == context) {
                return call(subscriber, method, args);
            }
            TraceContext.set(context);
            try {
                return call(subscriber, method, args);
            } finally {
                TraceContext.set(previous);
            }
        }
    }

    /** A {@code Publisher} whose {@code subscribe} runs in a context. */
    static final class SubscribingInContext implements InvocationHandler {
        private final Object publisher;
        private final TraceContext context;

        SubscribingInContext(Object publisher, TraceContext context) {
            this.publisher = publisher;
            this.context = context;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, publisher);
            }
            TraceContext previous = TraceContext.current();
            TraceContext.set(context);
            try {
                return call(publisher, method, args);
            } finally {
                TraceContext.set(previous);
            }
        }
    }

    /** The proxy's own identity for {@code equals} and {@code hashCode}; the target's name for {@code toString}. */
    static Object objectMethod(Object proxy, Method method, Object[] args, Object target) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return String.valueOf(target);
        }
    }

    /** Calls the target with exactly the exception it throws. */
    static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
