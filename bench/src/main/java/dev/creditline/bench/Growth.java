package dev.creditline.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Cost growth: booking and balance-read latency of athletes whose history holds 10, 1,000 and 100,000 journal
 * entries. The history (used-up lots, their bookings and the grant and redemption entries) is written in SQL, the
 * way years of use would have left it; the measured requests go through the HTTP API one at a time, interleaved
 * across the athletes so that all see the same machine.
 */
public final class Growth {
    private static final int[] HISTORY = {10, 1_000, 100_000};

    private Growth() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        int rounds = args.integer("rounds", 2000);
        Map<Integer, String> members = new LinkedHashMap<>();
        Map<Integer, Long> entries = new LinkedHashMap<>();
        Map<Integer, Histogram> book = new LinkedHashMap<>();
        Map<Integer, Histogram> read = new LinkedHashMap<>();
        try (Api api = new Api(base, 1);
             Connection db = DriverManager.getConnection(args.text("jdbc", null))) {
            JsonObject studio = api.call(HttpMethod.POST, "/admin/studios", args.text("admin-token", null),
                    new JsonObject().put("name", "Growth").put("timezone", "Europe/Berlin").put("currency", "EUR"))
                    .expect(201).body();
            String owner = studio.getString("ownerKey");
            String scheduler = api.call(HttpMethod.POST, "/v1/schedulers", owner, new JsonObject()
                    .put("name", "Open Gym").put("creditCost", 1).put("paymentMode", "credits")
                    .put("cancellationWindow", "PT1H")).expect(201).body().getString("id");
            for (int size : HISTORY) {
                String member = api.call(HttpMethod.POST, "/v1/members", owner,
                        new JsonObject().put("name", "History " + size)).expect(201).body().getString("id");
                writeHistory(db, studio.getString("id"), member, scheduler, size);
                api.call(HttpMethod.POST, "/v1/members/" + member + "/credits/adjust", owner, new JsonObject()
                        .put("account", "master").put("mode", "add").put("amount", 100_000).put("reason", "bench"))
                        .expect(200);
                members.put(size, member);
                entries.put(size, Sql.count(db, "SELECT count(*) FROM journal WHERE member_id = ?", member));
                book.put(size, new Histogram(TimeUnit.MINUTES.toMicros(1), 3));
                read.put(size, new Histogram(TimeUnit.MINUTES.toMicros(1), 3));
            }
            try (var statement = db.createStatement()) {
                statement.execute("ANALYZE");
            }
            int warmup = rounds / 4;
            for (int round = -warmup; round < rounds; round++) {
                for (var member : members.entrySet()) {
                    long start = System.nanoTime();
                    api.send(HttpMethod.POST, "/v1/bookings", owner, new JsonObject().put("memberId", member.getValue())
                                    .put("schedulerId", scheduler).put("startsAt", "2030-01-01T18:00:00Z"),
                            "growth-" + member.getKey() + "-" + round).toCompletionStage().toCompletableFuture()
                            .get(60, TimeUnit.SECONDS).expect(201);
                    long booked = System.nanoTime();
                    api.call(HttpMethod.GET, "/v1/members/" + member.getValue() + "/credits", owner, null).expect(200);
                    long readDone = System.nanoTime();
                    if (round >= 0) {
                        book.get(member.getKey()).recordValue((booked - start) / 1000);
                        read.get(member.getKey()).recordValue((readDone - booked) / 1000);
                    }
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (int size : HISTORY) {
            rows.add(String.format("| %,d | %s | %s | %s | %s |", entries.get(size),
                    Throughput.ms(book.get(size), 50), Throughput.ms(book.get(size), 99),
                    Throughput.ms(read.get(size), 50), Throughput.ms(read.get(size), 99)));
        }
        double bookRatio = book.get(HISTORY[2]).getValueAtPercentile(50)
                / (double) book.get(HISTORY[0]).getValueAtPercentile(50);
        double readRatio = read.get(HISTORY[2]).getValueAtPercentile(50)
                / (double) read.get(HISTORY[0]).getValueAtPercentile(50);
        String report = String.join("\n", List.of(
                "### Cost growth with the athlete's history (" + rounds + " bookings and reads each, one at a time)",
                "",
                "| journal entries | booking p50 ms | booking p99 ms | balance read p50 ms | balance read p99 ms |",
                "|---|---|---|---|---|",
                String.join("\n", rows),
                "",
                String.format("Median at the largest history over the smallest: booking %.2f×, balance read %.2f×.",
                        bookRatio, readRatio),
                ""));
        System.out.println(report);
        Files.writeString(Path.of(args.text("out", "bench/target/growth.md")), report);
    }

    /**
     * About {@code size} journal entries of used-up history: lots of 10 credits granted an hour apart, each used by
     * ten bookings (a grant entry and ten redemption entries per lot). The newest is 200 days old, so every athlete's
     * credit view shows the same (one live lot): what differs is only the history behind it.
     */
    private static void writeHistory(Connection db, String studio, String member, String scheduler, int size)
            throws SQLException {
        int lots = Math.max(1, size / 11);
        db.setAutoCommit(false);
        Sql.execute(db, """
                INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                  expires_at, validity_start, cost_minor, currency, category)
                SELECT ?, 'lot_hist_' || ? || '_' || i, ?, 'master', 10, 0, t, t, t + interval '90 days', 'purchase',
                       0, 'EUR', 'promotional'
                FROM generate_series(1, ?) i,
                     LATERAL (SELECT now() - interval '200 days' - (? - i) * interval '1 hour' AS t) at""",
                studio, member, member, lots, lots);
        Sql.execute(db, """
                INSERT INTO journal (studio_id, member_id, account, lot_id, type, delta, balance_after, description,
                                     actor, at)
                SELECT ?, ?, 'master', 'lot_hist_' || ? || '_' || i, 'granted', 10, 10, 'Granted 10 credits', 'bench',
                       now() - interval '200 days' - (? - i) * interval '1 hour'
                FROM generate_series(1, ?) i""", studio, member, member, lots, lots);
        Sql.execute(db, """
                INSERT INTO bookings (studio_id, id, member_id, scheduler_id, scheduler_name, starts_at, cancel_by,
                                      status, pay_with, cost, created_at, actor)
                SELECT ?, 'bkg_hist_' || ? || '_' || i || '_' || k, ?, ?, 'Open Gym', t + k * interval '1 hour',
                       t + (k - 1) * interval '1 hour', 'booked', 'credits', 1, t, 'bench'
                FROM generate_series(1, ?) i, generate_series(1, 10) k,
                     LATERAL (SELECT now() - interval '200 days' - (? - i) * interval '1 hour' AS t) at""",
                studio, member, member, scheduler, lots, lots);
        Sql.execute(db, """
                INSERT INTO booking_allocations (studio_id, booking_id, lot_id, account, credits, position)
                SELECT ?, 'bkg_hist_' || ? || '_' || i || '_' || k, 'lot_hist_' || ? || '_' || i, 'master', 1, 0
                FROM generate_series(1, ?) i, generate_series(1, 10) k""", studio, member, member, lots);
        Sql.execute(db, """
                INSERT INTO journal (studio_id, member_id, account, lot_id, type, delta, balance_after, description,
                                     actor, booking_id, at)
                SELECT ?, ?, 'master', 'lot_hist_' || ? || '_' || i, 'redeemed', -1, 10 - k, 'Booked Open Gym',
                       'bench', 'bkg_hist_' || ? || '_' || i || '_' || k,
                       now() - interval '200 days' - (? - i) * interval '1 hour' + k * interval '1 minute'
                FROM generate_series(1, ?) i, generate_series(1, 10) k""",
                studio, member, member, member, lots, lots);
        db.commit();
        db.setAutoCommit(true);
    }
}
