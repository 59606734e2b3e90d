package dev.voicetrace.agent.context;

import dev.voicetrace.bootstrap.ContextPropagation;
import dev.voicetrace.bootstrap.ReactorPropagation;
import dev.voicetrace.bootstrap.TraceContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

/**
 * CPU time of Reactor's work with the agent's operator hook: a request-like {@code Mono} pipeline
 * (assembled and subscribed, five operators) and a {@code Flux} of 1,000 values through three
 * operators, without the hook, with it outside any context, and with it in a context. Run by hand
 * (not a test), with reactor-core and reactive-streams on the class path:
 * {@code java -cp agent/target/test-classes:bootstrap/target/classes:REACTOR dev.voicetrace.agent.context.ReactorPropagationCostBench}.
 */
public final class ReactorPropagationCostBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    public static void main(String[] args) {
        int rounds = 9;
        int monos = 50_000;
        int fluxes = 500;
        double[][] results = new double[6][rounds];
        ContextPropagation.enable("sessionId");
        TraceContext call = new TraceContext("call-1", 1);
        // Pipelines are assembled inside the loops, so the hook's removal and registration take
        // effect at once: the three cases alternate round by round, after the same warm-up.
        for (int round = -5; round < rounds; round++) {
            TraceContext.set(null);
            Hooks.resetOnEachOperator(ReactorPropagation.HOOK_KEY);
            double mono = cpuNanos(() -> monos(monos)) / monos;
            double flux = cpuNanos(() -> fluxes(fluxes)) / (fluxes * 1000.0);
            if (!ReactorPropagation.install(Hooks.class)) {
                throw new IllegalStateException("hook not registered", ReactorPropagation.installFailure());
            }
            double monoOutside = cpuNanos(() -> monos(monos)) / monos;
            double fluxOutside = cpuNanos(() -> fluxes(fluxes)) / (fluxes * 1000.0);
            TraceContext.set(call);
            double monoInContext = cpuNanos(() -> monos(monos)) / monos;
            double fluxInContext = cpuNanos(() -> fluxes(fluxes)) / (fluxes * 1000.0);
            if (round >= 0) {
                results[0][round] = mono;
                results[1][round] = flux;
                results[2][round] = monoOutside;
                results[3][round] = fluxOutside;
                results[4][round] = monoInContext;
                results[5][round] = fluxInContext;
            }
        }
        TraceContext.set(null);
        for (double[] result : results) {
            Arrays.sort(result);
        }
        int m = rounds / 2;
        System.out.printf(Locale.ROOT, "Mono pipeline (5 operators, assembled and subscribed), CPU per pipeline:"
                + " no hook %.0f ns, hook outside a context %.0f ns, hook in a context %.0f ns%n",
                results[0][m], results[2][m], results[4][m]);
        System.out.printf(Locale.ROOT, "Flux signal (per value through 3 operators), CPU per value:"
                + " no hook %.1f ns, hook outside a context %.1f ns, hook in a context %.1f ns (checksum %d)%n",
                results[1][m], results[3][m], results[5][m], sink);
    }

    private static void monos(int count) {
        for (int i = 0; i < count; i++) {
            int value = i;
            sink += Mono.just(value)
                    .map(v -> v + 1)
                    .filter(v -> v > 0)
                    .flatMap(v -> Mono.just(v * 2))
                    .defaultIfEmpty(0)
                    .map(v -> v - 1)
                    .block();
        }
    }

    private static void fluxes(int count) {
        for (int i = 0; i < count; i++) {
            sink += Flux.range(0, 1000).map(v -> v + 1).filter(v -> (v & 1) == 0).reduce(0, Integer::sum).block();
        }
    }

    private static double cpuNanos(Runnable work) {
        long started = THREADS.getCurrentThreadCpuTime();
        work.run();
        return THREADS.getCurrentThreadCpuTime() - started;
    }
}
