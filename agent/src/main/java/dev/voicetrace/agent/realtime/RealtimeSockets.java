package dev.voicetrace.agent.realtime;

import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.pipeline.Pipeline;

/** The WebSocket clients the agent sees vendors' real-time sockets through. */
public final class RealtimeSockets {

    /** The operation key of the JDK client's {@code buildAsync}. */
    public static final String JDK_KEY = JdkWebSockets.KEY;
    /** The operation key of OkHttp's {@code RealWebSocket.connect}. */
    public static final String OKHTTP_KEY = OkHttpWebSockets.KEY;

    private RealtimeSockets() {}

    /** Routes the socket clients' openings to the providers' protocols; events go to {@code pipeline}. */
    public static SocketRuntime register(OperationRegistry registry, Pipeline pipeline, SocketEndpoints endpoints,
                                         boolean generateSessions) {
        SocketRuntime runtime = new SocketRuntime(endpoints, pipeline::offerWork, generateSessions);
        JdkWebSockets.register(registry, runtime);
        OkHttpWebSockets.register(registry, runtime);
        return runtime;
    }
}
