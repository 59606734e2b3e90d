package dev.voicetrace.agent.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.EpochClock;
import dev.voicetrace.agent.json.Json;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.pipeline.SecretScrubber;
import dev.voicetrace.bootstrap.SocketFrames;
import dev.voicetrace.bootstrap.TraceContext;
import dev.voicetrace.bootstrap.TurnIdentity;
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
    private volatile java.lang.ref.WeakReference<Object> clientHandle;
    /** Further objects the hooks know this socket by; guarded by {@code this}. */
    private java.util.List<java.lang.ref.WeakReference<Object>> otherHandles;

    /** Processing thread only. */
    private SocketConversation conversation;
    private long malformedFrames;

    ObservedSocket(SocketProtocol protocol, SocketInfo info, SocketRuntime runtime) {
        this.protocol = protocol.forSocket(info.query);
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
        volatile long lastAudioNanos;
        long firstMarkNanos;
        /** Frames classified {@link SocketProtocol.Frame#OUTPUT_MARK}: counted, never kept. */
        volatile long marks;
        /** Set by the sending side when it keeps a frame: the next audio frame received is announced. */
        volatile boolean announceNextAudio;
        /** Received only: the turn the last kept frame ended, while no other frame followed it; else 0. */
        long lastTurnAnchor;
        TurnIdentity lastTurn;
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
                    if (last) {
                        lastTurnAnchor = 0;
                        lastTurn = null;
                        if (firstMarkNanos == 0) {
                            firstMarkNanos = EpochClock.now();
                        }
                        marks++;
                    }
                    break;
                case EVENT:
                case TURN_EVENT:
                case UTTERANCE_END:
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
            if (!isSent) {
                long now = EpochClock.now();
                if (firstAudioNanos == 0) {
                    firstAudioNanos = now;
                }
                lastAudioNanos = now;
            }
            audioBytes += bytes;
            audioFrames++;
            if (!isSent && announceNextAudio) {
                announceNextAudio = false;
                queue(SocketEvent.Kind.AUDIO_STARTED, null, 0, -1, null);
            }
        }

        private void keep(String text, SocketProtocol.Frame kind) {
            long anchor = 0;
            boolean endsUtterance = kind == SocketProtocol.Frame.TURN_EVENT || kind == SocketProtocol.Frame.UTTERANCE_END;
            if (endsUtterance && !isSent) {
                // The application's listener is about to see the end of an utterance: what it
                // starts now belongs to the new turn, unless this only confirms the end of the
                // utterance the previous frame ended.
                if (kind == SocketProtocol.Frame.TURN_EVENT || lastTurnAnchor == 0) {
                    lastTurnAnchor = CallTracker.newTurnAnchor();
                    java.lang.ref.WeakReference<Object> handle = clientHandle;
                    lastTurn = runtime.newTurn(handle == null ? null : handle.get());
                    SocketTurns.remember(lastTurnAnchor, lastTurn);
                }
                anchor = lastTurnAnchor;
                // The socket's session (the application's when it opened the socket with one): a
                // client's I/O thread serves many sockets, so its context may be another socket's.
                TraceContext current = TraceContext.current();
                String session = info.sessionId != null ? info.sessionId
                        : current != null ? current.sessionId : null;
                TraceContext.set(new TraceContext(session, anchor, null, lastTurn));
            } else if (!isSent) {
                lastTurnAnchor = 0;
                lastTurn = null;
            }
            queue(isSent ? SocketEvent.Kind.SENT : SocketEvent.Kind.RECEIVED, text, anchor, -1, null);
            if (isSent) {
                received.announceNextAudio = true;
            }
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

    @Override
    public void onSend(Object payload) {
        if (ended) {
            return;
        }
        if (payload instanceof CharSequence) {
            sent.text((CharSequence) payload, true);
        } else {
            sent.audioFrame(ByteStrings.size(payload));
        }
    }

    @Override
    public void onReceived(Object payload) {
        if (ended) {
            return;
        }
        if (payload instanceof CharSequence) {
            received.text((CharSequence) payload, true);
        } else {
            received.audioFrame(ByteStrings.size(payload));
        }
    }

    /** Ties the socket to the client's own socket object, forgotten by the send and receive hooks when it ends. */
    void observedAs(Object clientSocket) {
        clientHandle = new java.lang.ref.WeakReference<>(clientSocket);
        dev.voicetrace.bootstrap.SocketHooks.observe(clientSocket, this);
    }

    /**
     * Another of the client's objects that speaks for this socket (a Jakarta session, its remote
     * endpoints, its message handlers): the hooks find the socket through it until it ends.
     */
    @Override
    public void observeAlso(Object handle) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (otherHandles == null) {
                otherHandles = new java.util.ArrayList<>(4);
            }
            otherHandles.add(new java.lang.ref.WeakReference<>(handle));
        }
        dev.voicetrace.bootstrap.SocketHooks.observe(handle, this);
    }

    @Override
    public void onSendClose(boolean abort) {
        if (abort) {
            end(SocketEvent.Kind.ABORTED, -1, null);
        }
    }

    @Override
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

    @Override
    public void onClosed(int code) {
        end(SocketEvent.Kind.CLOSED, code, null);
    }

    @Override
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
        java.util.List<java.lang.ref.WeakReference<Object>> others;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            others = otherHandles;
            otherHandles = null;
        }
        runtime.ended(this);
        if (others != null) {
            for (java.lang.ref.WeakReference<Object> other : others) {
                Object handle = other.get();
                if (handle != null) {
                    dev.voicetrace.bootstrap.SocketHooks.forget(handle);
                }
            }
        }
        java.lang.ref.WeakReference<Object> handle = clientHandle;
        Object clientSocket = handle == null ? null : handle.get();
        if (clientSocket != null) {
            dev.voicetrace.bootstrap.SocketHooks.forget(clientSocket);
        }
        queue(kind, null, 0, code, error);
    }

    private void queue(SocketEvent.Kind kind, String text, long anchor, int code, String error) {
        long firstAudio = 0;
        long firstMark = 0;
        if (kind != SocketEvent.Kind.SENT) {
            firstAudio = received.firstAudioNanos;
            firstMark = received.firstMarkNanos;
            if (kind == SocketEvent.Kind.RECEIVED) {
                received.firstAudioNanos = 0;
                received.firstMarkNanos = 0;
            } else if (kind == SocketEvent.Kind.AUDIO_STARTED) {
                firstAudio = received.lastAudioNanos;
                firstMark = 0;
            }
        }
        String senderSession = null;
        long senderAnchor = 0;
        if (kind == SocketEvent.Kind.SENT) {
            // the sending thread's context: speech sent for a reply belongs to the reply's turn
            TraceContext context = TraceContext.current();
            if (context != null) {
                senderSession = context.sessionId;
                senderAnchor = context.turnAnchor;
            }
        }
        runtime.offer(new SocketEvent(this, kind, text, EpochClock.now(), sent.audioBytes, sent.audioFrames,
                received.audioBytes, received.audioFrames, firstAudio, firstMark, received.marks,
                received.lastAudioNanos, anchor,
                senderSession, senderAnchor, code, error));
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
            if (event.kind == SocketEvent.Kind.AUDIO_STARTED) {
                conversation.onAudioStarted(event, out);
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
