package dev.creditline.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The headline benchmark: for each client count C, each shape of load through the HTTP API (see {@link BookingLoad}:
 * the booking mix in one studio, bookings only in one studio, bookings only over a platform of many studios), then
 * pgbench once with the same C on the same PostgreSQL, whose tps every shape at that C is compared with. During each
 * measured run it samples where the ledger database's backends wait ({@link Waits}) and reads the server's batch
 * metrics before and after ({@link Prometheus}). Also the server's memory, idle and under the largest C. Prints a
 * Markdown report (and writes it to {@code --out}).
 */
public final class Throughput {
    private static final int TOP_WAITS = 5;
    private static final long SAMPLE_MILLIS = 100;
    private static final String BATCH_SIZE = "creditline_write_batch_size";
    private static final String LOCK_WAIT = "creditline_write_batch_lock_wait_seconds";

    private Throughput() {
    }

    /** A load run at every C. */
    private record Shape(String title, BookingLoad.Workload workload, int studios) {
    }

    /** One measured run of a shape, with what was seen while it ran (a mean is null when the server lacks it). */
    private record Run(Shape shape, int clients, BookingLoad.Result result, Waits.Summary waits,
                       Prometheus.Mean batchSize, Prometheus.Mean lockWait, Cpu.Reading cpu) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        List<Integer> clientCounts = args.integers("clients", "1,8,32,64");
        int warmup = args.integer("warmup", 10);
        int seconds = args.integer("seconds", 30);
        int members = args.integer("members", 2000);
        int platformStudios = args.integer("studios", 200);
        Map<String, Shape> known = Map.of(
                "mix", new Shape("Booking mix, 1 studio", BookingLoad.Workload.MIX, 1),
                "bookings", new Shape("Bookings only, 1 studio", BookingLoad.Workload.BOOKINGS, 1),
                "platform", new Shape("Bookings only, " + platformStudios + " studios", BookingLoad.Workload.BOOKINGS,
                        platformStudios));
        List<Shape> shapes = Arrays.stream(args.text("shapes", "mix,bookings,platform").split(",")).map(String::trim)
                .map(name -> {
                    Shape shape = known.get(name);
                    if (shape == null) {
                        throw new IllegalArgumentException("--shapes: " + name + " is none of " + known.keySet());
                    }
                    return shape;
                }).distinct().toList();
        long serverPid = Long.parseLong(args.text("server-pid", null));

        Cpu cpu = new Cpu(serverPid);
        Pgbench pgbench = new Pgbench(args.text("pg-host", "127.0.0.1"), args.integer("pg-port", 5432),
                args.text("pg-user", "postgres"), args.text("pgbench-db", "creditline_pgbench"));
        Prometheus prometheus = new Prometheus(URI.create(args.text("management-url", null)));
        Memory memory = new Memory(serverPid, prometheus);
        int maxClients = clientCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();

        List<Run> runs = new ArrayList<>();
        Map<Integer, Double> tps = new TreeMap<>();
        Map<Integer, Cpu.Reading> pgbenchCpu = new TreeMap<>();
        Memory.Reading idle;
        Memory.Reading loaded;
        try (Api api = new Api(base, maxClients);
             Connection db = DriverManager.getConnection(args.text("jdbc", null))) {
            Waits waits = new Waits(db);
            // One set of athletes per studio count: the mix and bookings only share the studio of 2,000.
            Map<Integer, BookingLoad> loads = new LinkedHashMap<>();
            for (Shape shape : shapes) {
                loads.computeIfAbsent(shape.studios(), studios -> {
                    long start = System.nanoTime();
                    BookingLoad load = new BookingLoad(api);
                    load.setUp(args.text("admin-token", null), members, studios);
                    System.out.printf("Set up %d studio(s) with %d athletes in %.1f s%n", studios, members,
                            (System.nanoTime() - start) / 1e9);
                    return load;
                });
            }
            // Otherwise the first measured run pays for the JIT compiling the booking path, in the server and in
            // this client (a third of the rate at C=32): every shape runs once at the largest C, unmeasured, first.
            for (Shape shape : shapes) {
                loads.get(shape.studios()).run(shape.workload(), maxClients, warmup, 1);
            }
            System.out.println("Warmed up: every shape ran " + warmup + " s at C=" + maxClients);
            idle = memory.afterCollection();
            System.out.println("Idle server: " + idle);
            AtomicReference<Memory.Reading> peak = new AtomicReference<>(memory.read());
            for (int clients : clientCounts) {
                for (Shape shape : shapes) {
                    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                    if (clients == maxClients) {
                        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.read(), Memory.Reading::max),
                                warmup, 1, TimeUnit.SECONDS);
                    }
                    pgbench.checkpoint();
                    Run run = observed(shape, clients, warmup, seconds, loads.get(shape.studios()), waits,
                            prometheus, cpu);
                    sampler.shutdownNow();
                    runs.add(run);
                    System.out.printf("%s, C=%d: %.0f ops/s, p50 %s ms, p99 %s ms, statuses %s, batches %s%n",
                            shape.title(), clients, run.result().opsPerSecond(), ms(run.result().latency(), 50),
                            ms(run.result().latency(), 99), run.result().statuses(),
                            run.batchSize() == null ? "n/a" : String.format("%.0f of mean size %s",
                                    run.batchSize().count(), mean(run.batchSize(), 1)));
                }
                pgbench.checkpoint();
                Cpu.Reading before = cpu.read();
                tps.put(clients, pgbench.tps(clients, seconds));
                pgbenchCpu.put(clients, cpu.read().since(before));
                System.out.printf("pgbench, C=%d: %.0f tps%n", clients, tps.get(clients));
            }
            loaded = peak.get();
        }

        List<String> report = new ArrayList<>(List.of(
                "### Throughput against pgbench (" + seconds + " s per run after a " + warmup + " s warm-up)",
                "",
                "Every shape first ran " + warmup + " s at C=" + maxClients + ", unmeasured, to warm both JVMs; "
                        + "pgbench ran once per C, after the shapes at that C; every shape's ratio is to that tps. Targets: "
                        + "ratio ≥ 100% at C=32, p99 ≤ 3× p50, p99.9 ≤ 5× p50. Batch size: write requests (bookings, "
                        + "cancellations) per group-commit transaction (`" + BATCH_SIZE + "`); lock wait: per batch (`" + LOCK_WAIT
                        + "`); both from the server's metrics before and after the measured run. When the cores "
                        + "are busy in both runs, the ratio cannot pass pgbench's CPU per transaction over the "
                        + "shape's CPU per operation (the last column of each CPU table).",
                ""));
        for (Shape shape : shapes) {
            List<Run> ofShape = runs.stream().filter(run -> run.shape().equals(shape)).toList();
            report.add("#### " + shape.title() + " (" + members + " athletes, "
                    + (shape.workload() == BookingLoad.Workload.MIX ? "70% book, 20% cancel, 10% read"
                    : "bookings only") + ")");
            report.add("");
            report.add("| C | Creditline ops/s | pgbench tps | ratio | p50 ms | p99 ms | p99.9 ms | max ms | failed "
                    + "| p99/p50 | p99.9/p50 | batch size | lock wait ms/batch |");
            report.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Run run : ofShape) {
                BookingLoad.Result r = run.result();
                Histogram h = r.latency();
                double p50 = h.getValueAtPercentile(50);
                double reference = tps.get(run.clients());
                report.add(String.format("| %d | %.0f | %.0f | %.0f%% | %s | %s | %s | %s | %d | %.1f× | %.1f× | %s "
                                + "| %s |", run.clients(), r.opsPerSecond(), reference,
                        100 * r.opsPerSecond() / reference, ms(h, 50), ms(h, 99), ms(h, 99.9),
                        String.format("%.1f", h.getMaxValue() / 1000.0), r.failures(),
                        h.getValueAtPercentile(99) / p50, h.getValueAtPercentile(99.9) / p50,
                        mean(run.batchSize(), 1), mean(run.lockWait(), 1000)));
            }
            report.add("");
            if (shape.workload() == BookingLoad.Workload.MIX) {
                report.add("| C | operation | count | p50 ms | p99 ms |");
                report.add("|---|---|---|---|---|");
                for (Run run : ofShape) {
                    for (Map.Entry<String, Histogram> op : run.result().byOperation().entrySet()) {
                        report.add(String.format("| %d | %s | %d | %s | %s |", run.clients(), op.getKey(),
                                op.getValue().getTotalCount(), ms(op.getValue(), 50), ms(op.getValue(), 99)));
                    }
                }
                report.add("");
            }
            report.add("CPU per operation (ms of CPU time from /proc over the measured run; the load generator is "
                    + "this benchmark's HTTP client; busy: the share of the machine's cores all of them used):");
            report.add("");
            report.add("| C | server ms | PostgreSQL ms | load generator ms | all ms | busy | pgbench all ms/txn "
                    + "| ratio the CPU allows |");
            report.add("|---|---|---|---|---|---|---|---|");
            for (Run run : ofShape) {
                Cpu.Reading c = run.cpu();
                double ops = run.result().opsPerSecond() * c.seconds();
                double all = c.server() + c.postgres() + c.loadGenerator();
                double reference = perTransaction(pgbenchCpu.get(run.clients()), tps.get(run.clients()));
                report.add(String.format("| %d | %.2f | %.2f | %.2f | %.2f | %.0f%% | %.2f | %.0f%% |",
                        run.clients(), 1000 * c.server() / ops, 1000 * c.postgres() / ops,
                        1000 * c.loadGenerator() / ops, 1000 * all / ops, 100 * c.busy(), reference,
                        100 * reference / (1000 * all / ops)));
            }
            report.add("");
            report.add("Where the ledger database's backends were (`pg_stat_activity` every " + SAMPLE_MILLIS
                    + " ms of the measured run; share of the active backends seen; CPU: waiting for no event):");
            report.add("");
            report.add("| C | active (mean) | idle in transaction (mean) | wait event | statement | share |");
            report.add("|---|---|---|---|---|---|");
            for (Run run : ofShape) {
                Waits.Summary w = run.waits();
                boolean first = true;
                for (Waits.Entry entry : w.top()) {
                    report.add(first
                            ? String.format("| %d | %.1f | %.1f | %s | `%s` | %.0f%% |", run.clients(),
                                    w.meanActive(), w.meanIdleInTransaction(), entry.event(), cell(entry.query()),
                                    100 * w.share(entry))
                            : String.format("| | | | %s | `%s` | %.0f%% |", entry.event(), cell(entry.query()),
                                    100 * w.share(entry)));
                    first = false;
                }
                if (first) {
                    report.add(String.format("| %d | 0 | %.1f | | | |", run.clients(), w.meanIdleInTransaction()));
                }
            }
            report.add("");
        }
        report.addAll(List.of(
                "### Server memory",
                "",
                "| | RSS MiB | heap used MiB | heap committed MiB |",
                "|---|---|---|---|",
                String.format("| idle (after a full GC) | %.0f | %.0f | %.0f |", idle.rssMiB(), idle.heapUsedMiB(),
                        idle.heapCommittedMiB()),
                String.format("| C=%d load (peak of 1 s samples) | %.0f | %.0f | %.0f |", maxClients, loaded.rssMiB(),
                        loaded.heapUsedMiB(), loaded.heapCommittedMiB()),
                ""));
        String text = String.join("\n", report);
        System.out.println();
        System.out.println(text);
        Files.writeString(Path.of(args.text("out", "bench/target/throughput.md")), text);
    }

    /**
     * Runs the shape with pg_stat_activity sampled and the metrics scraped over the measured part only (the timers
     * start with the load, whose measuring starts {@code warmup} seconds in).
     */
    private static Run observed(Shape shape, int clients, int warmup, int seconds, BookingLoad load, Waits waits,
                                Prometheus prometheus, Cpu cpu) throws Exception {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        try {
            long from = TimeUnit.SECONDS.toMillis(warmup);
            long to = from + TimeUnit.SECONDS.toMillis(seconds);
            ScheduledFuture<Cpu.Reading> cpuBefore = watcher.schedule(cpu::read, from, TimeUnit.MILLISECONDS);
            ScheduledFuture<Prometheus.Scrape> before = watcher.schedule(prometheus::scrape, from,
                    TimeUnit.MILLISECONDS);
            ScheduledFuture<?> sampling = watcher.scheduleAtFixedRate(() -> {
                try {
                    waits.sample();
                } catch (RuntimeException e) {
                    System.out.println("pg_stat_activity sample failed: " + e);
                }
            }, from, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            ScheduledFuture<Cpu.Reading> cpuAfter = watcher.schedule(cpu::read, to, TimeUnit.MILLISECONDS);
            ScheduledFuture<Prometheus.Scrape> after = watcher.schedule(() -> {
                sampling.cancel(false);
                return prometheus.scrape();
            }, to, TimeUnit.MILLISECONDS);
            BookingLoad.Result result = load.run(shape.workload(), clients, warmup, seconds);
            Prometheus.Scrape end = after.get(60, TimeUnit.SECONDS);
            Prometheus.Scrape start = before.get();
            return new Run(shape, clients, result, waits.take(TOP_WAITS), end.meanSince(start, BATCH_SIZE),
                    end.meanSince(start, LOCK_WAIT), cpuAfter.get().since(cpuBefore.get()));
        } finally {
            watcher.shutdownNow();
        }
    }

    /** CPU ms of PostgreSQL and pgbench per pgbench transaction. */
    private static double perTransaction(Cpu.Reading used, double tps) {
        return 1000 * (used.postgres() + used.children()) / (tps * used.seconds());
    }

    /** A mean times {@code scale}, or n/a when the server has no such metric. */
    private static String mean(Prometheus.Mean mean, double scale) {
        if (mean == null) {
            return "n/a";
        }
        return mean.count() == 0 ? "none" : String.format("%.2f", scale * mean.mean());
    }

    /** Text that stays inside one Markdown table cell as code. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('`', '\'');
    }

    static String ms(Histogram h, double percentile) {
        return String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }
}
