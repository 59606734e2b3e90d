package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.RecordWork;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Drives one observed socket as a client instrumentation would (frames sent and received, in
 * parts or whole), then runs the queued events as the processing thread would.
 */
public final class SocketScript {

    public final List<RecordWork> queued = new ArrayList<>();
    public final SocketRuntime runtime;
    public final ObservedSocket socket;

    public SocketScript(SocketProtocol protocol, String host, String path, String rawQuery, String session) {
        runtime = new SocketRuntime(new SocketEndpoints(), work -> queued.add(work), true);
        socket = runtime.open(protocol, "java.net.http", host, path, rawQuery, session);
    }

    /** JSON written with single quotes for readability. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    public static String base64Audio(int bytes) {
        byte[] audio = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            audio[i] = (byte) (i * 31);
        }
        return Base64.getEncoder().encodeToString(audio);
    }

    public SocketScript send(String singleQuoted) {
        socket.onSendText(json(singleQuoted), true);
        return this;
    }

    public SocketScript receive(String singleQuoted) {
        socket.onReceivedText(json(singleQuoted), true);
        return this;
    }

    /** Sends a binary (audio) frame. */
    public SocketScript sendBinary(int bytes) {
        socket.onSendBinary(java.nio.ByteBuffer.allocate(bytes));
        return this;
    }

    /** Receives a whole frame as OkHttp hands it over (a String). */
    public SocketScript receiveWhole(String singleQuoted) {
        socket.onReceived(json(singleQuoted));
        return this;
    }

    /** Sends a whole frame as through OkHttp. */
    public SocketScript sendWhole(String singleQuoted) {
        socket.onSend(json(singleQuoted));
        return this;
    }

    /** Receives a frame in parts cut at the given offsets, as the JDK client delivers long frames. */
    public SocketScript receiveInParts(String singleQuoted, int... cuts) {
        String text = json(singleQuoted);
        int from = 0;
        for (int cut : cuts) {
            socket.onReceivedText(java.nio.CharBuffer.wrap(text, from, cut), false);
            from = cut;
        }
        socket.onReceivedText(java.nio.CharBuffer.wrap(text, from, text.length()), true);
        return this;
    }

    /** Runs every queued event on this thread; the records they finished, in order. */
    public List<StageRecord> process() {
        List<StageRecord> records = new ArrayList<>();
        for (RecordWork work : queued) {
            work.run(records::add);
        }
        queued.clear();
        return records;
    }

    public long malformedFrames() {
        return socket.malformedFrames();
    }

    public int openSockets() {
        return runtime.openCount();
    }
}
