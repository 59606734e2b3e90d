package dev.voicetrace.agent.googlespeech;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * What the application sent on a bidirectional stream of a Google speech API, kept on the
 * sending threads: the first request (it carries the configuration), the audio bytes or text
 * chunks that followed (never the audio itself), and how the sending ended. The call's
 * {@code response()} holds this object; the received messages are its stream items.
 */
final class StreamCapture {

    /** Text chunks kept for a synthesis stream, at most this many characters. */
    static final int MAX_TEXT_CHARS = 100_000;

    final StreamKind kind;
    private volatile Object firstRequest;
    private long audioBytes;
    private int audioChunks;
    private final List<String> texts = new ArrayList<>();
    private int textChars;
    private volatile boolean sendClosed;
    /** The turn anchor a recognition stream started on its sending thread, 0 when none. */
    volatile long turnAnchor;

    StreamCapture(StreamKind kind) {
        this.kind = kind;
    }

    /** Called for every request the application sends, on its thread. */
    void onSend(Object request) {
        if (firstRequest == null) {
            firstRequest = request;
        }
        if (kind.recognition) {
            long size = sizeOf(request, kind.audioGetter);
            if (size > 0) {
                synchronized (this) {
                    audioBytes += size;
                    audioChunks++;
                }
            }
        } else {
            String text = synthesisText(request);
            if (text != null && !text.isEmpty()) {
                synchronized (this) {
                    if (textChars < MAX_TEXT_CHARS) {
                        texts.add(text);
                        textChars += text.length();
                    }
                }
            }
        }
    }

    void onSendClosed() {
        sendClosed = true;
    }

    Object firstRequest() {
        return firstRequest;
    }

    synchronized long audioBytes() {
        return audioBytes;
    }

    synchronized int audioChunks() {
        return audioChunks;
    }

    synchronized List<String> texts() {
        return new ArrayList<>(texts);
    }

    boolean sendClosed() {
        return sendClosed;
    }

    private static long sizeOf(Object request, String getter) {
        try {
            Object bytes = GETTERS.get(request.getClass()).find(getter).invoke(request);
            Method size = bytes == null ? null : GETTERS.get(bytes.getClass()).find("size");
            return size == null ? -1 : ((Number) size.invoke(bytes)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static String synthesisText(Object request) {
        try {
            Method input = GETTERS.get(request.getClass()).find("getInput");
            Object value = input == null ? null : input.invoke(request);
            Method text = value == null ? null : GETTERS.get(value.getClass()).find("getText");
            Object result = text == null ? null : text.invoke(value);
            return result instanceof String ? (String) result : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Public getters looked up once per message type. */
    private static final ClassValue<Getters> GETTERS = new ClassValue<Getters>() {
        @Override
        protected Getters computeValue(Class<?> type) {
            return new Getters(type);
        }
    };

    private static final class Getters {
        private final Class<?> type;
        private final java.util.concurrent.ConcurrentHashMap<String, Object> methods =
                new java.util.concurrent.ConcurrentHashMap<>();

        Getters(Class<?> type) {
            this.type = type;
        }

        Method find(String name) {
            Object found = methods.computeIfAbsent(name, n -> {
                try {
                    Method method = type.getMethod(n);
                    method.setAccessible(true);
                    return method;
                } catch (NoSuchMethodException | RuntimeException e) {
                    return Boolean.FALSE;
                }
            });
            return found instanceof Method ? (Method) found : null;
        }
    }
}
