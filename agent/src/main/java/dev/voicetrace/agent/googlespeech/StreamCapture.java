package dev.voicetrace.agent.googlespeech;

import dev.voicetrace.agent.capture.SdkMembers;
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

    /** The size of a bytes field (a {@code ByteString}'s {@code size()}), -1 when unreadable. */
    private static long sizeOf(Object request, String getter) {
        Object size = SdkMembers.get(SdkMembers.get(request, getter), "size");
        return size instanceof Number ? ((Number) size).longValue() : -1;
    }

    private static String synthesisText(Object request) {
        Object text = SdkMembers.get(SdkMembers.get(request, "getInput"), "getText");
        return text instanceof String ? (String) text : null;
    }
}
