package dev.voicetrace.agent.langchain4j;

import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Observes a streaming LangChain4j call through its handler argument: the handler is replaced by
 * a proxy of the same interface that notes partial responses (the first one is the first token),
 * the complete response and the error, and forwards every method to the application's handler.
 */
final class StreamingHandlerObserver implements CallObserver {

    static final String HANDLER = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";

    @Override
    public void onArguments(InFlightCall call, Object[] arguments) {
        for (int i = arguments.length - 1; i >= 1; i--) {
            Object original = arguments[i];
            if (original == null) {
                continue;
            }
            Class<?> handlerType = HANDLER_TYPE.get(original.getClass());
            if (handlerType != null) {
                arguments[i] = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                        new ObservingHandler(call, original));
                return;
            }
        }
        // Without a handler the call's end could not be seen: it is not traced (the advice undoes this).
        throw new IllegalArgumentException("no streaming handler among the arguments");
    }

    @Override
    public Object onResult(InFlightCall call, Object result) {
        // The call ends through the handler, usually on another thread.
        return result;
    }

    private static final ClassValue<Class<?>> HANDLER_TYPE = new ClassValue<Class<?>>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
            return SdkMembers.typeNamed(type, HANDLER);
        }
    };

    static final class ObservingHandler extends ForwardingHandler {
        private final InFlightCall call;

        ObservingHandler(InFlightCall call, Object target) {
            super(target);
            this.call = call;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            if (args.length > 0 && method.getDeclaringClass() != Object.class) {
                observe(name, args[0]);
            }
            return forward(method, args);
        }

        private void observe(String name, Object first) {
            try {
                switch (name) {
                    case "onPartialResponse":
                    case "onPartialToolCall":
                        call.onStreamItem(first);
                        break;
                    case "onCompleteResponse":
                        call.onResponse(first);
                        call.complete(false);
                        break;
                    case "onError":
                        if (first instanceof Throwable) {
                            call.fail((Throwable) first);
                        }
                        break;
                    default:
                        break;
                }
            } catch (RuntimeException | LinkageError ignored) {
                // the application's handler is called whatever happened here
            }
        }
    }
}
