package dev.voicetrace.agent.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.model.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.SecretScrubber;
import dev.voicetrace.bootstrap.SocketFrames;
import dev.voicetrace.bootstrap.TraceContext;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One recognised WebSocket, seen from both ends. The client instrumentation calls the
 * {@code onSend...} and {@code onReceived...} methods on the application's threads (sending
 * thread, the client's receiving thread): audio frames only move counters; a text frame the
 * vendor's protocol wants is copied and queued, with the counters as they stood, for the
 * processing thread, where {@link #process} parses it and feeds the socket's state machine.
 * Each direction has one writer at a time, as WebSocket clients allow one outstanding send and
 * deliver received frames one by one.
 */
public final class ObservedSocket implements SocketFrames {

    /** Text frames kept whole are cut at this size (a vendor's event is far smaller). */
    static final int MAX_EVENT_CHARS = 1 << 20;

    private final SocketProtocol protocol;
    private final SocketInfo info;
    private final SocketRuntime runtime;
    private final Direction sent = new Direction(true);
    private final Direction received = new Direction(false);
    private volatile boolean ended;

    /** Processing thread only. */
    private SocketConversation conversation;
    private long malformedFrames;

    ObservedSocket(SocketProtocol protocol, SocketInfo info, SocketRuntime runtime) {
        this.protocol = protocol;
        this.info = info;
        this.runtime = runtime;
    }

    public SocketInfo info() {
        return info;
    }

    public SocketProtocol protocol() {
        return protocol;
    }

    /** The frames of one direction: counters, and the state of a frame arriving in parts. */
    private final class Direction {
        final boolean isSent;
        volatile long audioBytes;
        volatile long audioFrames;
        volatile long frames;
        long firstAudioNanos;
        long firstMarkNanos;
        /** The kind of the frame whose parts are arriving, or null between frames. */
        SocketProtocol.Frame partial;
        StringBuilder partialText;
        final Base64Field audio = new Base64Field();

        Direction(boolean isSent) {
            this.isSent = isSent;
        }

        void text(CharSequence part, boolean last) {
            SocketProtocol.Frame kind = partial;
            if (kind == null) {
                kind = protocol.classify(part, isSent);
                if (kind == SocketProtocol.Frame.AUDIO) {
                    audio.start(part, protocol.audioField(isSent));
                }
            } else if (kind == SocketProtocol.Frame.AUDIO) {
                audio.more(part);
            }
            switch (kind) {
                case AUDIO:
                    if (last) {
                        audioFrame(audio.bytes());
                    }
                    break;
                case OUTPUT_MARK:
                    if (firstMarkNanos == 0) {
                        firstMarkNanos = EpochClock.now();
                    }
                    break;
                case EVENT:
                case TURN_EVENT:
                    if (!last || partialText != null) {
                        if (partialText == null) {
                            partialText = new StringBuilder(Math.max(256, part.length() * 2));
                        }
                        if (partialText.length() + part.length() <= MAX_EVENT_CHARS) {
                            partialText.append(part);
                        }
                        if (last) {
                            String whole = partialText.toString();
                            partialText = null;
                            keep(whole, kind);
                        }
                    } else {
                        keep(part.toString(), kind);
                    }
                    break;
                default:
                    break;
            }
            if (last) {
                frames++;
                partial = null;
            } else {
                partial = kind;
            }
        }

        void audioFrame(long bytes) {
            if (firstAudioNanos == 0 && !isSent) {
                firstAudioNanos = EpochClock.now();
            }
            audioBytes += bytes;
            audioFrames++;
        }

        private void keep(String text, SocketProtocol.Frame kind) {
            long anchor = 0;
            if (kind == SocketProtocol.Frame.TURN_EVENT && !isSent) {
                // The application's listener is about to see the end of an utterance: what it
                // starts now belongs to the new turn.
                anchor = CallTracker.newTurnAnchor();
                TraceContext current = TraceContext.current();
                String session = current != null && current.sessionId != null ? current.sessionId : info.sessionId;
                TraceContext.set(new TraceContext(session, anchor));
            }
            queue(isSent ? SocketEvent.Kind.SENT : SocketEvent.Kind.RECEIVED, text, anchor, -1, null);
        }
    }

    // ---- application threads ----

    @Override
    public void onSendText(CharSequence text, boolean last) {
        if (!ended) {
            sent.text(text, last);
        }
    }

    @Override
    public void onSendBinary(ByteBuffer data) {
        if (!ended) {
            sent.audioFrame(data.remaining());
        }
    }

    /** A binary frame sent by a client whose frames are not {@link ByteBuffer}s (OkHttp's {@code ByteString}). */
    public void onSendBinary(long bytes) {
        if (!ended) {
            sent.audioFrame(bytes);
        }
    }

    @Override
    public void onSendClose(boolean abort) {
        if (abort) {
            end(SocketEvent.Kind.ABORTED, -1, null);
        }
    }

    public void onReceivedText(CharSequence text, boolean last) {
        if (!ended) {
            received.text(text, last);
        }
    }

    public void onReceivedBinary(long bytes) {
        if (!ended) {
            received.audioFrame(bytes);
        }
    }

    public void onClosed(int code) {
        end(SocketEvent.Kind.CLOSED, code, null);
    }

    public void onFailed(Throwable error) {
        end(SocketEvent.Kind.FAILED, -1, error == null ? "socket failed"
                : SecretScrubber.scrub(error.getClass().getName()
                        + (error.getMessage() == null ? "" : ": " + error.getMessage())));
    }

    /** The agent is stopping: the socket's open observations end now. */
    void onAgentStopping() {
        end(SocketEvent.Kind.AGENT_STOPPING, -1, null);
    }

    private void end(SocketEvent.Kind kind, int code, String error) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        runtime.ended(this);
        queue(kind, null, 0, code, error);
    }

    private void queue(SocketEvent.Kind kind, String text, long anchor, int code, String error) {
        long firstAudio = 0;
        long firstMark = 0;
        if (kind == SocketEvent.Kind.RECEIVED || kind.ordinal() > SocketEvent.Kind.RECEIVED.ordinal()) {
            firstAudio = received.firstAudioNanos;
            firstMark = received.firstMarkNanos;
            if (kind == SocketEvent.Kind.RECEIVED) {
                received.firstAudioNanos = 0;
                received.firstMarkNanos = 0;
            }
        }
        runtime.offer(new SocketEvent(this, kind, text, EpochClock.now(), sent.audioBytes, sent.audioFrames,
                received.audioBytes, received.audioFrames, firstAudio, firstMark, anchor, code, error));
    }

    // ---- processing thread ----

    void process(SocketEvent event, Consumer<StageRecord> out) {
        if (conversation == null) {
            if (event.isEnd() && event.kind == SocketEvent.Kind.AGENT_STOPPING) {
                return;
            }
            conversation = protocol.newConversation(info);
        }
        try {
            if (event.isEnd()) {
                conversation.onEnd(event, out);
                return;
            }
            JsonNode message;
            try {
                message = Json.read(event.text);
            } catch (java.io.IOException | RuntimeException e) {
                malformedFrames++;
                AgentLog.debug(protocol.provider() + " socket: a frame that is not JSON was skipped");
                return;
            }
            if (message != null && message.isObject()) {
                conversation.onMessage(event, message, out);
            } else {
                malformedFrames++;
            }
        } catch (RuntimeException e) {
            AgentLog.warnOnce("socket:" + protocol.provider() + ":" + e.getClass().getName(),
                    protocol.provider() + " socket: could not follow a frame (" + e + "); the socket's later frames"
                            + " are still followed");
        }
    }

    /** Frames that were not JSON objects, for tests. */
    long malformedFrames() {
        return malformedFrames;
    }
}
