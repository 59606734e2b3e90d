package dev.voicetrace.agent.propagation;

import dev.voicetrace.bootstrap.TraceContext;
import dev.voicetrace.bootstrap.TracePropagation;
import dev.voicetrace.bootstrap.TurnIdentity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;

/**
 * The agent's own work per propagated request of the JDK's HTTP client, without the network:
 * choosing the headers for the turn in context and copying the request with them, against the
 * same request passing a thread outside any turn. Run by hand (not a test):
 * {@code java -cp agent/target/classes:agent/target/test-classes:bootstrap/target/classes
 * dev.voicetrace.agent.propagation.PropagationCostBench}.
 */
public final class PropagationCostBench {

    public static void main(String[] args) {
        int perRound = 200_000;
        int rounds = 9;
        TracePropagation.enable(true, true, PropagationHosts.of("*", null), true, 1);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://dialogue.internal:8080/reply"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer not-a-secret")
                .POST(HttpRequest.BodyPublishers.ofString("{\"caller\":1,\"history\":[\"Hello\"]}"))
                .build();
        TraceContext turn = new TraceContext("call-17", 3, null, TurnIdentity.local(null, null));
        double[] inTurn = new double[rounds];
        double[] outside = new double[rounds];
        long sink = 0;
        for (int round = -2; round < rounds; round++) {
            TraceContext.set(null);
            long started = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sink += JdkTraceHeaders.decorate(request).headers().map().size();
            }
            double plain = (System.nanoTime() - started) / (double) perRound;
            TraceContext.set(turn);
            started = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sink += JdkTraceHeaders.decorate(request).headers().map().size();
            }
            double traced = (System.nanoTime() - started) / (double) perRound;
            if (round >= 0) {
                outside[round] = plain;
                inTurn[round] = traced;
            }
        }
        Arrays.sort(inTurn);
        Arrays.sort(outside);
        System.out.printf(Locale.ROOT, "per request: outside a turn %.0f ns, in a turn %.0f ns (headers chosen and"
                + " the request copied); added %.2f us (checksum %d)%n", outside[rounds / 2], inTurn[rounds / 2],
                (inTurn[rounds / 2] - outside[rounds / 2]) / 1000, sink);
    }
}
