package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.pipeline.Pipeline;
import dev.voicetrace.agent.realtime.assemblyai.AssemblyAiStreamingProtocol;
import dev.voicetrace.agent.realtime.deepgram.DeepgramListenProtocol;
import dev.voicetrace.agent.realtime.deepgram.DeepgramSpeakProtocol;
import dev.voicetrace.agent.realtime.elevenlabs.ElevenLabsStreamInputProtocol;
import dev.voicetrace.agent.realtime.openai.OpenAiRealtimeProtocol;

/** The vendors' real-time sockets the agent follows, on the hosts configured for each, and the clients it sees them through. */
public final class RealtimeSockets {

    /** The operation key of the JDK client's {@code buildAsync}. */
    public static final String JDK_KEY = JdkWebSockets.KEY;
    /** The operation key of OkHttp's {@code RealWebSocket.connect}. */
    public static final String OKHTTP_KEY = OkHttpWebSockets.KEY;
    /** The operation key of the Jakarta WebSocket API's {@code WebSocketContainer.connectToServer}. */
    public static final String JAKARTA_KEY = dev.voicetrace.agent.realtime.jakarta.JakartaWebSockets.KEY;

    private RealtimeSockets() {}

    /** The endpoints of every vendor protocol on its configured hosts. */
    public static SocketEndpoints endpoints(AgentConfig config) {
        return new SocketEndpoints()
                .add(config.openaiHosts, new OpenAiRealtimeProtocol())
                .add(config.deepgramHosts, new DeepgramListenProtocol())
                .add(config.deepgramHosts, new DeepgramSpeakProtocol())
                .add(config.assemblyaiHosts, new AssemblyAiStreamingProtocol())
                .add(config.elevenlabsHosts, new ElevenLabsStreamInputProtocol())
                .add(config.elevenlabsHosts, new dev.voicetrace.agent.realtime.elevenlabs.ElevenLabsMultiStreamInputProtocol());
    }

    /** Routes the socket clients' openings to the vendors' protocols; events go to {@code pipeline}. */
    public static SocketRuntime register(OperationRegistry registry, Pipeline pipeline, AgentConfig config,
                                         boolean generateSessions) {
        SocketRuntime runtime = new SocketRuntime(endpoints(config), pipeline::offerWork, generateSessions);
        JdkWebSockets.register(registry, runtime);
        OkHttpWebSockets.register(registry, runtime);
        dev.voicetrace.agent.realtime.jakarta.JakartaWebSockets.register(registry, runtime);
        return runtime;
    }
}
