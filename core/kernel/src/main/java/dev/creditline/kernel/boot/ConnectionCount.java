package dev.creditline.kernel.boot;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's open HTTP connections, in all and per client address, against {@code http.maxConnections} and
 * {@code http.maxConnectionsPerAddress}: shared by every event loop, so the caps hold for the process.
 */
@Singleton
final class ConnectionCount {
    /** What a new connection is given. */
    enum Admission {
        /** Served. */
        ACCEPTED,
        /** Its address has as many connections as it may: its first request is answered 503, then it closes. */
        OVER_ADDRESS_CAP,
        /** The server has as many connections as it takes: closed at once. */
        OVER_TOTAL_CAP
    }

    /**
     * File descriptors kept for everything but client connections: the database pool is added; this is the rest
     * (jars, plugins' files and sockets, mail, the JVM's own).
     */
    static final int RESERVED_DESCRIPTORS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCount.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final int perAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceWarning = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    @Inject
    ConnectionCount(Config config) {
        this(config.connections().maxConnections(), config.connections().maxConnectionsPerAddress(),
                config.poolSize(), descriptorLimit());
    }

    ConnectionCount(int configuredMax, int perAddress, int poolSize, long descriptorLimit) {
        long room = descriptorLimit <= 0 ? Long.MAX_VALUE : descriptorLimit - RESERVED_DESCRIPTORS - poolSize;
        // However few descriptors there are, a few connections are served.
        this.max = (int) Math.min(configuredMax, Math.max(16, room));
        this.perAddress = perAddress;
        if (max < configuredMax) {
            LOG.warn("HTTP takes at most {} connections, not http.maxConnections {}: the file descriptor limit is {}"
                    + " (raise it with ulimit -n)", max, configuredMax, descriptorLimit);
        } else {
            LOG.info("HTTP takes at most {} connections{}; file descriptor limit {}", max,
                    perAddress > 0 ? " (" + perAddress + " per client address)" : "",
                    descriptorLimit <= 0 ? "unknown" : descriptorLimit);
        }
    }

    /** The cap in all, after the file descriptor limit. */
    int max() {
        return max;
    }

    /** Counts a new connection from the address, unless a cap refuses it. */
    Admission open(String address) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            refused("the server's cap of " + max);
            return Admission.OVER_TOTAL_CAP;
        }
        if (perAddress > 0 && byAddress.merge(address, 1, Integer::sum) > perAddress) {
            release(address);
            refused("the cap of " + perAddress + " from " + address);
            return Admission.OVER_ADDRESS_CAP;
        }
        return Admission.ACCEPTED;
    }

    /** Forgets a connection that {@link #open} counted; refused ones count in all until they close. */
    void closed(String address, Admission admission) {
        if (admission == Admission.OVER_TOTAL_CAP) {
            return;
        }
        total.decrementAndGet();
        if (admission == Admission.ACCEPTED && perAddress > 0) {
            release(address);
        }
    }

    private void release(String address) {
        byAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Refusals are logged, but at most once in ten seconds: a flood of them must not flood the log. */
    private void refused(String cap) {
        refusedSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Refused {} HTTP connection(s) over {} ({} open)", refusedSinceWarning.getAndSet(0), cap,
                    total.get());
        }
    }

    /** The process's limit of open files, or 0 when the platform does not say. */
    static long descriptorLimit() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 0;
    }
}
