package dev.creditline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resident memory (from /proc) and Java heap (from the server's JVM metrics) of the server process. Reading the heap
 * costs a scrape, not a JVM: jcmd starts one, which under load took a quarter of this machine's two cores.
 */
final class Memory {
    private static final String HEAP_USED = "jvm_memory_used_bytes{area=\"heap\"}";
    private static final String HEAP_COMMITTED = "jvm_memory_committed_bytes{area=\"heap\"}";
    private static final double MIB = 1024 * 1024;

    /** One reading, in MiB. */
    record Reading(double rssMiB, double heapUsedMiB, double heapCommittedMiB) {
        Reading max(Reading other) {
            return new Reading(Math.max(rssMiB, other.rssMiB), Math.max(heapUsedMiB, other.heapUsedMiB),
                    Math.max(heapCommittedMiB, other.heapCommittedMiB));
        }

        @Override
        public String toString() {
            return String.format("RSS %.0f MiB, heap used %.0f MiB of %.0f MiB committed", rssMiB, heapUsedMiB,
                    heapCommittedMiB);
        }
    }

    private final long pid;
    private final Prometheus metrics;

    Memory(long pid, Prometheus metrics) {
        this.pid = pid;
        this.metrics = metrics;
    }

    /** A reading after a full collection: what the idle server holds on to. */
    Reading afterCollection() {
        Shell.run("jcmd", String.valueOf(pid), "GC.run");
        return read();
    }

    Reading read() {
        Map<String, Double> values = metrics.scrape().values();
        if (!values.containsKey(HEAP_USED) || !values.containsKey(HEAP_COMMITTED)) {
            throw new IllegalStateException("the server's metrics have no " + HEAP_USED + " or " + HEAP_COMMITTED);
        }
        return new Reading(rssMiB(), values.get(HEAP_USED) / MIB, values.get(HEAP_COMMITTED) / MIB);
    }

    private double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the memory of process " + pid, e);
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
