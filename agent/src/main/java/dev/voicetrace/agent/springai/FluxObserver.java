package dev.voicetrace.agent.springai;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.capture.InFlightCall;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Observes a streaming call whose result is a Reactor {@code Flux}, without linking to Reactor:
 * the returned Flux is decorated through its public methods, found by reflection on the
 * application's own Reactor classes. Every element is a stream item; completion ends the call, an
 * error fails it, a cancellation ends it as interrupted. Subscribing runs with the call as the
 * framework call in progress on the subscribing thread, so that the SDK request a provider
 * starts from there is not recorded twice.
 */
final class FluxObserver implements CallObserver {

    static final String FLUX = "reactor.core.publisher.Flux";
    static final String PUBLISHER = "org.reactivestreams.Publisher";

    @Override
    public Object onResult(InFlightCall call, Object result) {
        if (result == null) {
            call.complete(false);
            return null;
        }
        Methods methods = METHODS.get(result.getClass());
        if (methods == null) {
            // Not a Flux this version understands: returned untouched, the call is not recorded.
            return result;
        }
        try {
            Object scoped = methods.from.invoke(null, Proxy.newProxyInstance(methods.publisher.getClassLoader(),
                    new Class<?>[] {methods.publisher}, new ScopedPublisher(call, result)));
            Object observed = methods.doOnNext.invoke(scoped, (Consumer<Object>) call::onStreamItem);
            observed = methods.doOnError.invoke(observed, (Consumer<Throwable>) call::fail);
            observed = methods.doOnComplete.invoke(observed, (Runnable) () -> call.complete(false));
            return methods.doOnCancel.invoke(observed, (Runnable) () -> call.complete(true));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return result;
        }
    }

    /** Forwards {@code subscribe} to the provider's Flux inside the call's scope. */
    private static final class ScopedPublisher extends ForwardingHandler {
        private final InFlightCall call;

        ScopedPublisher(InFlightCall call, Object flux) {
            super(flux);
            this.call = call;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return "observed " + target;
            }
            Throwable[] thrown = new Throwable[1];
            Object[] returned = new Object[1];
            CallTracker.within(call, () -> {
                try {
                    returned[0] = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    thrown[0] = e.getCause();
                } catch (IllegalAccessException e) {
                    thrown[0] = e;
                }
            });
            if (thrown[0] != null) {
                throw thrown[0];
            }
            return returned[0];
        }
    }

    /** The Flux and Publisher methods used, resolved once per Flux class. */
    private static final class Methods {
        final Class<?> publisher;
        final Method from;
        final Method doOnNext;
        final Method doOnError;
        final Method doOnComplete;
        final Method doOnCancel;

        Methods(Class<?> flux, Class<?> publisher) throws NoSuchMethodException {
            this.publisher = publisher;
            this.from = SdkMembers.require(flux, "from", publisher);
            this.doOnNext = SdkMembers.require(flux, "doOnNext", Consumer.class);
            this.doOnError = SdkMembers.require(flux, "doOnError", Consumer.class);
            this.doOnComplete = SdkMembers.require(flux, "doOnComplete", Runnable.class);
            this.doOnCancel = SdkMembers.require(flux, "doOnCancel", Runnable.class);
        }
    }

    private static final ClassValue<Methods> METHODS = new ClassValue<Methods>() {
        @Override
        protected Methods computeValue(Class<?> type) {
            Class<?> flux = SdkMembers.typeNamed(type, FLUX);
            Class<?> publisher = SdkMembers.typeNamed(type, PUBLISHER);
            if (flux == null || publisher == null) {
                return null;
            }
            try {
                return new Methods(flux, publisher);
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };
}
