package dev.voicetrace.agent.realtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * The size of a binary frame in a client's own type (okio's {@code ByteString}, reached only
 * through the application's class): a method handle per class, invoked without allocating.
 */
final class ByteStrings {

    private static final MethodType SIZE = MethodType.methodType(int.class, Object.class);

    private static final ClassValue<MethodHandle> SIZES = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                java.lang.reflect.Method size = type.getMethod("size");
                size.setAccessible(true);
                return MethodHandles.lookup().unreflect(size).asType(SIZE);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    private ByteStrings() {}

    /** Bytes in {@code payload}, 0 when unknown. */
    static long size(Object payload) {
        if (payload instanceof ByteBuffer) {
            return ((ByteBuffer) payload).remaining();
        }
        if (payload instanceof byte[]) {
            return ((byte[]) payload).length;
        }
        MethodHandle size = payload == null ? null : SIZES.get(payload.getClass());
        if (size == null) {
            return 0;
        }
        try {
            return (int) size.invokeExact(payload);
        } catch (Throwable e) {
            return 0;
        }
    }
}
