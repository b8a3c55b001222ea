package dev.creditline.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The headline benchmark: for each client count C, the booking mix through the HTTP API (see {@link BookingLoad}),
 * then pgbench with the same C on the same PostgreSQL, and the ratio of the two. Also the server's memory, idle and
 * under the largest C. Prints a Markdown report (and writes it to {@code --out}).
 */
public final class Throughput {
    private Throughput() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        List<Integer> clientCounts = args.integers("clients", "1,8,32,64");
        int warmup = args.integer("warmup", 10);
        int seconds = args.integer("seconds", 30);
        Memory memory = new Memory(Long.parseLong(args.text("server-pid", null)));
        Pgbench pgbench = new Pgbench(args.text("pg-host", "127.0.0.1"), args.integer("pg-port", 5432),
                args.text("pg-user", "postgres"), args.text("pgbench-db", "creditline_pgbench"));
        int maxClients = clientCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();

        List<String> rows = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        Memory.Reading idle;
        Memory.Reading loaded;
        try (Api api = new Api(base, maxClients)) {
            BookingLoad load = new BookingLoad(api);
            load.setUp(args.text("admin-token", null), args.integer("members", 2000));
            idle = memory.afterCollection();
            System.out.println("Idle server: " + idle);
            AtomicReference<Memory.Reading> peak = new AtomicReference<>(memory.read());
            for (int clients : clientCounts) {
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                if (clients == maxClients) {
                    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.read(), Memory.Reading::max),
                            warmup, 1, TimeUnit.SECONDS);
                }
                pgbench.checkpoint();
                BookingLoad.Result product = load.run(clients, warmup, seconds);
                sampler.shutdownNow();
                pgbench.checkpoint();
                double tps = pgbench.tps(clients, seconds);
                String row = String.format("| %d | %.0f | %.0f | %.0f%% | %s | %s | %s | %d |", clients,
                        product.opsPerSecond(), tps, 100 * product.opsPerSecond() / tps, ms(product.latency(), 50),
                        ms(product.latency(), 99), ms(product.latency(), 99.9), product.failures());
                rows.add(row);
                System.out.println(row + "   statuses " + product.statuses());
                for (Map.Entry<String, Histogram> op : product.byOperation().entrySet()) {
                    operations.add(String.format("| %d | %s | %d | %s | %s |", clients, op.getKey(),
                            op.getValue().getTotalCount(), ms(op.getValue(), 50), ms(op.getValue(), 99)));
                }
            }
            loaded = peak.get();
        }
        String report = String.join("\n", List.of(
                "### Booking mix against pgbench (" + seconds + " s per run after a " + warmup + " s warm-up)",
                "",
                "| C | Creditline ops/s | pgbench tps | ratio | p50 ms | p99 ms | p99.9 ms | failed |",
                "|---|---|---|---|---|---|---|---|",
                String.join("\n", rows),
                "",
                "| C | operation | count | p50 ms | p99 ms |",
                "|---|---|---|---|---|",
                String.join("\n", operations),
                "",
                "### Server memory",
                "",
                "| | RSS MiB | heap used MiB | heap committed MiB |",
                "|---|---|---|---|",
                String.format("| idle (after a full GC) | %.0f | %.0f | %.0f |", idle.rssMiB(), idle.heapUsedMiB(),
                        idle.heapCommittedMiB()),
                String.format("| C=%d load (peak of 1 s samples) | %.0f | %.0f | %.0f |", maxClients, loaded.rssMiB(),
                        loaded.heapUsedMiB(), loaded.heapCommittedMiB()),
                ""));
        System.out.println();
        System.out.println(report);
        Files.writeString(Path.of(args.text("out", "bench/target/throughput.md")), report);
    }

    static String ms(Histogram h, double percentile) {
        return String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }
}
