package dev.voicetrace.agent.capture;

import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * Keeps the JSON body of a call's response as the SDK reads it, so that the processing thread
 * reads the JSON the service sent instead of serialising the parsed response object again with
 * the SDK's mapper (which, for a generated Kotlin SDK, also warms Kotlin reflection).
 *
 * <p>A call's response is parsed inside {@link ObservingHandler}'s {@code parse()}, on the thread
 * that asked for it; the SDK's JSON handler, told of here before it reads the response, gets a
 * stand-in response whose body stream copies the bytes it hands on. Any other response (a parse
 * that is not a traced call's, an SDK whose handler is not instrumented) is left alone, and the
 * response object is serialised as before.
 */
public final class ResponseBodies {

    /** A parse under way on this thread: the call, and the copying body its handler was given. */
    static final class Parse {
        final InFlightCall call;
        /** The stand-in response the handler was given, and the copying body it handed out. */
        Object standIn;
        CopyingInputStream body;

        Parse(InFlightCall call) {
            this.call = call;
        }
    }

    /** The parse under way on this thread, or null. */
    private static final ThreadLocal<Parse> PARSING = new ThreadLocal<>();

    private ResponseBodies() {}

    /** Marks the current thread as parsing {@code call}'s response; returns the parse it was in before. */
    static Parse parsing(InFlightCall call) {
        Parse previous = PARSING.get();
        PARSING.set(new Parse(call));
        return previous;
    }

    /**
     * Ends what {@link #parsing} began: what the handler read is the body. (The SDK's mapper stops
     * after the document and need not close the stream, so its end may never be seen.)
     */
    static void parsed(Parse previous) {
        Parse done = PARSING.get();
        if (done != null && done.body != null) {
            done.body.handOver();
        }
        // Set (to null too), never removed: the thread's next call reuses its entry instead of making one.
        PARSING.set(previous);
    }

    /**
     * The SDK's JSON handler is about to read the response in {@code arguments[0]}: during a
     * traced call's parse on this thread, it is given a stand-in whose body is copied as read.
     */
    public static void onHandling(Object[] arguments) {
        Parse parse = PARSING.get();
        if (parse == null || arguments.length == 0 || arguments[0] == null || arguments[0] == parse.standIn) {
            return;
        }
        Object response = arguments[0];
        Object copying = InterfaceProxies.proxy(response, new ForwardingHandler(response) {
            @Override
            protected Object intercept(String name, Method method, Object[] args) throws Throwable {
                Object result = forward(method, args);
                if (args.length == 0 && "body".equals(name) && result instanceof InputStream && parse.body == null) {
                    parse.body = new CopyingInputStream((InputStream) result, parse.call);
                    return parse.body;
                }
                return result;
            }
        });
        if (copying != null) {
            parse.standIn = copying;
            arguments[0] = copying;
        }
    }
}
