package dev.voicetrace.agent.http;

import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.capture.CallObserver;
import dev.voicetrace.agent.capture.CompletedCall;
import dev.voicetrace.agent.capture.ForwardingHandler;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.InterfaceProxies;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.capture.OperationSpec;
import dev.voicetrace.bootstrap.OkHttpCallView;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OkHttp calls ({@code RealCall}, the receiver of the intercepted method, is the call's only
 * "argument"). The agent has no OkHttp on its class path: everything is reached by reflection
 * from the application's own classes, and the observing body source is a JDK proxy of
 * {@code okio.Source}, so no class is ever defined in the application's class loader. A
 * recognised call's response is handed back rebuilt around that source; bytes are counted (and a
 * JSON body copied) as the application reads them.
 */
public final class OkHttpCalls {

    /** The operation key the instrumentation binds to the intercepted method. */
    public static final String KEY = "okhttp3.RealCall.getResponseWithInterceptorChain";
    static final String CLIENT = "okhttp";

    /** Larger request bodies are not read. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private OkHttpCalls() {}

    public static void register(OperationRegistry registry, HttpEndpoints endpoints) {
        registry.registerRouter(KEY, (realCall, arguments) -> route(endpoints, realCall));
    }

    private static OperationSpec route(HttpEndpoints endpoints, Object realCall) {
        if (realCall == null) {
            return null;
        }
        OkHttpCallView view = OkHttpSide.viewOf(realCall.getClass());
        if (view == null) {
            return null;
        }
        try {
            String host = view.host(realCall);
            if (!endpoints.servesHost(host)) {
                return null;
            }
            // OkHttp always knows the port (the scheme's default when the URL names none).
            return endpoints.match(host, view.port(realCall), view.method(realCall), view.encodedPath(realCall));
        } catch (LinkageError e) {
            OkHttpSide.lacking(realCall.getClass(), e);
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The observer every HTTP endpoint spec of OkHttp uses. */
    public static final CallObserver OBSERVER = new CallObserver() {
        @Override
        public void onArguments(InFlightCall call, Object[] arguments) {
            call.onResponse(new HttpExchange(CLIENT));
        }

        @Override
        public Object onResult(InFlightCall call, Object response) {
            HttpExchange exchange = (HttpExchange) call.response();
            try {
                return observe(call, exchange, response);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                call.complete(false);
                return response;
            }
        }
    };

    @SuppressWarnings("unchecked")
    private static Object observe(InFlightCall call, HttpExchange exchange, Object response)
            throws ReflectiveOperationException {
        if (response == null) {
            call.complete(false);
            return null;
        }
        int code = (Integer) invoke(response, "code");
        Object headers = invoke(response, "headers");
        exchange.onHeaders(code, (Map<String, List<String>>) invoke(headers, "toMultimap"));
        Object body = invoke(response, "body");
        // A protocol switch (a WebSocket) keeps its connection's body untouched.
        if (body == null || code == 101) {
            call.complete(false);
            return response;
        }
        ClassLoader loader = body.getClass().getClassLoader();
        Class<?> sourceType = Class.forName("okio.Source", false, loader);
        Object source = invoke(body, "source");
        Object observing = Proxy.newProxyInstance(loader, new Class<?>[] {sourceType},
                new ObservingSource(source, call, exchange));
        Class<?> okio = Class.forName("okio.Okio", false, loader);
        Object buffered = okio.getMethod("buffer", sourceType).invoke(null, observing);
        Object contentType = invoke(body, "contentType");
        long contentLength = (Long) invoke(body, "contentLength");
        Class<?> bodyType = Class.forName("okhttp3.ResponseBody", false, loader);
        Class<?> mediaType = Class.forName("okhttp3.MediaType", false, loader);
        Class<?> bufferedSource = Class.forName("okio.BufferedSource", false, loader);
        Object newBody = bodyType.getMethod("create", bufferedSource, mediaType, long.class)
                .invoke(null, buffered, contentType, contentLength);
        Object builder = invoke(response, "newBuilder");
        builder.getClass().getMethod("body", bodyType).invoke(builder, newBody);
        return invoke(builder, "build");
    }

    /** Forwards {@code okio.Source} calls, counting or copying what each read delivered. */
    private static final class ObservingSource extends ForwardingHandler {
        private final InFlightCall call;
        private final HttpExchange exchange;
        private final AtomicBoolean exhausted = new AtomicBoolean();

        ObservingSource(Object source, InFlightCall call, HttpExchange exchange) {
            super(source);
            this.call = call;
            this.exchange = exchange;
        }

        @Override
        protected Object intercept(String name, Method method, Object[] args) throws Throwable {
            switch (name) {
                case "read":
                    return read(method, args);
                case "close":
                    try {
                        return forward(method, args);
                    } finally {
                        call.complete(!exhausted.get());
                    }
                case "toString":
                    return "observing(" + target + ")";
                default:
                    return forward(method, args);
            }
        }

        private Object read(Method method, Object[] args) throws Throwable {
            Object sink = args[0];
            long before = exchange.copiesBody() ? size(sink) : 0;
            long count;
            try {
                count = (Long) forward(method, args);
            } catch (Throwable t) {
                call.fail(t);
                throw t;
            }
            try {
                if (count > 0) {
                    if (exchange.copiesBody()) {
                        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) count);
                        sink.getClass().getMethod("copyTo", java.io.OutputStream.class, long.class, long.class)
                                .invoke(sink, copy, before, count);
                        byte[] bytes = copy.toByteArray();
                        exchange.onJsonBytes(bytes, 0, bytes.length);
                    } else {
                        exchange.onOtherBytes(count);
                        call.onBodyBytes(count);
                    }
                } else if (count < 0) {
                    exhausted.set(true);
                    call.complete(false);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the application's read stands as it was
            }
            return count;
        }

        private static long size(Object buffer) throws ReflectiveOperationException {
            return (Long) buffer.getClass().getMethod("size").invoke(buffer);
        }
    }

    /** The request of a finished OkHttp call, as the extractors read it. */
    static HttpCall describe(CompletedCall call, HttpExchange exchange) throws ReflectiveOperationException {
        Object request = invoke(call.receiver(), "request");
        Object url = invoke(request, "url");
        URI uri = (URI) invoke(url, "uri");
        String method = (String) invoke(request, "method");
        String contentType = (String) request.getClass().getMethod("header", String.class).invoke(request,
                "Content-Type");
        Object body = invoke(request, "body");
        long length = -1;
        byte[] bytes = null;
        if (body != null) {
            length = (Long) invoke(body, "contentLength");
            Object mediaType = invoke(body, "contentType");
            if (contentType == null && mediaType != null) {
                contentType = mediaType.toString();
            }
            if (readable(body, contentType, length)) {
                bytes = bodyBytes(body);
            }
        }
        return HttpCall.of(method, uri, contentType, length, bytes, exchange);
    }

    /**
     * Only OkHttp's own bodies of known size (from a string, bytes or a file) are written out
     * again, and only JSON: they are replayable (OkHttp itself writes them again on retries and
     * redirects). An application's own body class, a one-shot or duplex body, is never touched.
     */
    private static boolean readable(Object body, String contentType, long length) throws ReflectiveOperationException {
        return body.getClass().getName().startsWith("okhttp3.")
                && contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")
                && length >= 0 && length <= MAX_BODY_BYTES
                && !(Boolean) invoke(body, "isOneShot") && !(Boolean) invoke(body, "isDuplex");
    }

    private static byte[] bodyBytes(Object body) throws ReflectiveOperationException {
        ClassLoader loader = body.getClass().getClassLoader();
        Class<?> bufferType = Class.forName("okio.Buffer", false, loader);
        Object buffer = bufferType.getConstructor().newInstance();
        Class<?> sink = Class.forName("okio.BufferedSink", false, loader);
        body.getClass().getMethod("writeTo", sink).invoke(body, buffer);
        return (byte[]) bufferType.getMethod("readByteArray").invoke(buffer);
    }


    private static Object invoke(Object target, String name) throws ReflectiveOperationException {
        return SdkMembers.invoke(target, name);
    }
}
