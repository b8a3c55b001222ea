package dev.creditline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resident memory (from /proc) and Java heap (from jcmd) of the server process. */
final class Memory {
    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

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

    Memory(long pid) {
        this.pid = pid;
    }

    /** A reading after a full collection: what the idle server holds on to. */
    Reading afterCollection() {
        Shell.run("jcmd", String.valueOf(pid), "GC.run");
        return read();
    }

    Reading read() {
        return new Reading(rssMiB(), heap()[1], heap()[0]);
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

    /** Committed and used heap, in MiB. */
    private double[] heap() {
        Matcher m = HEAP.matcher(Shell.run("jcmd", String.valueOf(pid), "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.heap_info gave no heap totals for process " + pid);
        }
        return new double[] {Long.parseLong(m.group(1)) / 1024.0, Long.parseLong(m.group(2)) / 1024.0};
    }
}
