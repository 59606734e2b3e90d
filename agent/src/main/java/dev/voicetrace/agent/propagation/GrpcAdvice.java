package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.GrpcPropagation;
import net.bytebuddy.asm.Advice;

/** Advice for grpc-java's channel, client call, server call and server call listener (see {@link GrpcPropagation}). */
public final class GrpcAdvice {

    private GrpcAdvice() {}

    /** {@code ManagedChannelImpl$RealChannel.newCall(MethodDescriptor, CallOptions)}. */
    public static final class NewCall {
        private NewCall() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object channel, @Advice.Return Object call) {
            GrpcPropagation.newCall(channel, call);
        }
    }

    /** {@code ClientCallImpl.start(Listener, Metadata)} and {@code DelayedClientCall.start(Listener, Metadata)}. */
    public static final class StartCall {
        private StartCall() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object call, @Advice.Argument(1) Object metadata) {
            GrpcPropagation.startCall(call, metadata);
        }
    }

    /** {@code ServerCallImpl}'s constructor, which receives the request's metadata. */
    public static final class ServerCall {
        private ServerCall() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object call, @Advice.AllArguments Object[] arguments) {
            GrpcPropagation.serverCall(call, arguments);
        }
    }

    /** {@code ServerCallImpl$ServerStreamListenerImpl}'s methods, which run the service's code. */
    public static final class Listener {
        private Listener() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.This Object listener) {
            return GrpcPropagation.enterListener(listener);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter Object token) {
            GrpcPropagation.exitListener(token);
        }
    }
}
