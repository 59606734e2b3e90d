package dev.voicetrace.testapp.openai.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated on the Java heap per live thread, from the JVM's thread bean. Unlike CPU time
 * this hardly moves between identical runs, so it shows a change in the work an agent does per
 * call where CPU and latency are lost in the machine's noise; and it is what drives the young
 * collections and how far the collector grows the heap (the peak RSS).
 */
final class ThreadAllocation {

    private ThreadAllocation() {}

    /** Bytes allocated so far by each live thread, by id, with its name; empty where the JVM cannot say. */
    static Map<Long, Allocated> snapshot() {
        Map<Long, Allocated> result = new HashMap<>();
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean)) {
            return result;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return result;
        }
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                result.put(ids[i], new Allocated(infos[i].getThreadName(), bytes[i]));
            }
        }
        return result;
    }

    /**
     * Kilobytes allocated per call between two snapshots, by all threads or (agentOnly) by the
     * tracing agents' threads, named as in {@link ThreadCpu#agentMicrosPerCall}. A thread that
     * ended between the snapshots is not counted; one that started counts from zero.
     */
    static double kilobytesPerCall(Map<Long, Allocated> before, Map<Long, Allocated> after, int calls,
                                   boolean agentOnly) {
        long bytes = 0;
        for (Map.Entry<Long, Allocated> entry : after.entrySet()) {
            Allocated now = entry.getValue();
            if (agentOnly && !ThreadCpu.isAgentThread(now.name)) {
                continue;
            }
            Allocated then = before.get(entry.getKey());
            bytes += now.bytes - (then == null ? 0 : then.bytes);
        }
        return bytes / 1024.0 / Math.max(1, calls);
    }

    static final class Allocated {
        final String name;
        final long bytes;

        Allocated(String name, long bytes) {
            this.name = name;
            this.bytes = bytes;
        }
    }
}
