package dev.voicetrace.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * W3C trace context in gRPC metadata (the same {@code traceparent}, {@code tracestate} and
 * {@code baggage} keys as HTTP headers), for grpc-java's channels and servers. Everything is
 * reached by reflection on the application's gRPC classes; every method swallows what goes wrong.
 *
 * <p>Client: a channel's new call remembers the channel's authority (the host it goes to); when the
 * call starts, its metadata gets the headers for an allowed host. Server: a server call remembers
 * the context its request metadata names, and the call's listener methods (where grpc-java runs
 * the service's code) run in it.
 */
public final class GrpcPropagation {

    private static final WeakIdentityMap<String> AUTHORITIES = new WeakIdentityMap<>();
    private static final WeakIdentityMap<TraceContext> SERVER_CALLS = new WeakIdentityMap<>();
    private static final Object UNCHANGED = new Object();

    private GrpcPropagation() {}

    /** What is used of {@code io.grpc.Metadata}: its ASCII keys, {@code get}, {@code containsKey}, {@code put}. */
    private static final class MetadataAccess {
        final Method keyOf;
        final Object asciiMarshaller;
        final Method get;
        final Method containsKey;
        final Method put;

        MetadataAccess(Class<?> metadata) throws ReflectiveOperationException {
            Class<?> keyType = Class.forName("io.grpc.Metadata$Key", false, metadata.getClassLoader());
            Field marshaller = metadata.getField("ASCII_STRING_MARSHALLER");
            asciiMarshaller = marshaller.get(null);
            keyOf = keyType.getMethod("of", String.class, marshaller.getType());
            get = metadata.getMethod("get", keyType);
            containsKey = metadata.getMethod("containsKey", keyType);
            put = metadata.getMethod("put", keyType, Object.class);
        }

        Object key(String name) throws ReflectiveOperationException {
            return keyOf.invoke(null, name, asciiMarshaller);
        }

        String get(Object metadata, String name) throws ReflectiveOperationException {
            return (String) get.invoke(metadata, key(name));
        }
    }

    private static final ClassValue<MetadataAccess> METADATA = new ClassValue<MetadataAccess>() {
        @Override
        protected MetadataAccess computeValue(Class<?> type) {
            try {
                return new MetadataAccess(type);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private static final ClassValue<Method> AUTHORITY = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return TracePropagation.publicMethod(type, "authority");
        }
    };

    private static final ClassValue<Field> LISTENER_CALL = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
            try {
                Field call = type.getDeclaredField("call");
                call.setAccessible(true);
                return call;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /** A channel made {@code call}: it goes to the channel's authority. */
    public static void newCall(Object channel, Object call) {
        try {
            if (call == null || channel == null || !TracePropagation.isOutgoingEnabled()
                    || TraceContext.current() == null) {
                return;
            }
            Method authority = AUTHORITY.get(channel.getClass());
            Object value = authority == null ? null : authority.invoke(channel);
            if (value instanceof String) {
                AUTHORITIES.put(call, (String) value);
            }
        } catch (Throwable ignored) {
            // The call goes out without trace context.
        }
    }

    /** {@code call} starts with {@code metadata}: trace context is added for an allowed authority. */
    public static void startCall(Object call, Object metadata) {
        try {
            if (call == null || metadata == null) {
                return;
            }
            String authority = AUTHORITIES.remove(call);
            MetadataAccess access = authority == null ? null : METADATA.get(metadata.getClass());
            if (access == null) {
                return;
            }
            int colon = authority.lastIndexOf(':');
            String host = authority;
            int port = -1;
            if (colon > 0 && authority.indexOf(':') == colon) {
                host = authority.substring(0, colon);
                port = Integer.parseInt(authority.substring(colon + 1));
            }
            String[] added = TracePropagation.outgoingHeaders(host, port,
                    access.get(metadata, TracePropagation.TRACEPARENT),
                    (Boolean) access.containsKey.invoke(metadata, access.key(TracePropagation.TRACESTATE)),
                    (Boolean) access.containsKey.invoke(metadata, access.key(TracePropagation.BAGGAGE)));
            if (added == null) {
                return;
            }
            for (int i = 0; i + 1 < added.length; i += 2) {
                access.put.invoke(metadata, access.key(added[i]), added[i + 1]);
            }
        } catch (Throwable ignored) {
            // The call goes out as the application made it.
        }
    }

    /** A server call was made for a request; {@code arguments} hold its metadata. */
    public static void serverCall(Object call, Object[] arguments) {
        try {
            if (call == null) {
                return;
            }
            for (Object argument : arguments) {
                if (argument != null && argument.getClass().getName().equals("io.grpc.Metadata")) {
                    MetadataAccess access = METADATA.get(argument.getClass());
                    if (access == null) {
                        return;
                    }
                    TraceContext context = TracePropagation.incomingContext(
                            access.get(argument, TracePropagation.TRACEPARENT),
                            access.get(argument, TracePropagation.TRACESTATE),
                            access.get(argument, TracePropagation.BAGGAGE));
                    if (context != null) {
                        SERVER_CALLS.put(call, context);
                    }
                    return;
                }
            }
        } catch (Throwable ignored) {
            // The call is handled without trace context.
        }
    }

    /**
     * A server call's listener method starts (on the thread running the service's code): it runs
     * in the context of the call's request.
     *
     * @return a token for {@link TracePropagation#exitIncoming}
     */
    public static Object enterListener(Object listener) {
        try {
            if (listener == null || SERVER_CALLS.isEmpty()) {
                return UNCHANGED;
            }
            Field field = LISTENER_CALL.get(listener.getClass());
            Object call = field == null ? null : field.get(listener);
            TraceContext context = call == null ? null : SERVER_CALLS.get(call);
            return context == null ? UNCHANGED : TracePropagation.install(context);
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /** Restores the thread's context after a listener method. */
    public static void exitListener(Object token) {
        if (token != UNCHANGED) {
            TracePropagation.exitIncoming(token);
        }
    }
}
