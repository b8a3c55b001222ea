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
import java.util.List;

/**
 * The expiry sweep's time for 100,000 and 1,000,000 due lots: the lots (ten per athlete, each with its grant entry)
 * are written in SQL already past their expiry, and the running server's periodic sweep expires them. Measured from
 * the commit of the lots until none is due; then checked: one {@code expired} entry per lot, no credit left.
 */
public final class Sweep {
    private static final int LOTS_PER_MEMBER = 10;
    private static final int CREDITS_PER_LOT = 5;

    private Sweep() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        List<String> rows = new ArrayList<>();
        try (Api api = new Api(base, 1);
             Connection db = DriverManager.getConnection(args.text("jdbc", null))) {
            for (int lots : args.integers("lots", "100000,1000000")) {
                String studio = api.call(HttpMethod.POST, "/admin/studios", args.text("admin-token", null),
                        new JsonObject().put("name", "Sweep " + lots).put("timezone", "Europe/Berlin")
                                .put("currency", "EUR")).expect(201).body().getString("id");
                long writing = System.nanoTime();
                writeDueLots(db, studio, lots);
                long start = System.nanoTime();
                System.out.printf("%,d due lots written in %.0f s; waiting for the sweep%n", lots,
                        (start - writing) / 1e9);
                long due;
                do {
                    Thread.sleep(250);
                    due = Sql.count(db, "SELECT count(*) FROM lots WHERE studio_id = ? AND remaining > 0", studio);
                } while (due > 0);
                double seconds = (System.nanoTime() - start) / 1e9;
                long expiredEntries = Sql.count(db,
                        "SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'expired'", studio);
                long expiredCredits = -Sql.count(db,
                        "SELECT coalesce(sum(delta), 0) FROM journal WHERE studio_id = ? AND type = 'expired'", studio);
                if (expiredEntries != lots || expiredCredits != (long) lots * CREDITS_PER_LOT) {
                    throw new IllegalStateException("the sweep wrote " + expiredEntries + " expired entries for "
                            + expiredCredits + " credits; expected " + lots + " for " + lots * CREDITS_PER_LOT);
                }
                String row = String.format("| %,d | %,d | %.1f | %,.0f |", lots, lots / LOTS_PER_MEMBER, seconds,
                        lots / seconds);
                System.out.println(row);
                rows.add(row);
            }
        }
        String report = String.join("\n", List.of(
                "### Expiry sweep",
                "",
                "| due lots | athletes | seconds to expire all | lots/s |",
                "|---|---|---|---|",
                String.join("\n", rows),
                ""));
        System.out.println(report);
        Files.writeString(Path.of(args.text("out", "bench/target/sweep.md")), report);
    }

    private static void writeDueLots(Connection db, String studio, int lots) throws SQLException {
        int members = lots / LOTS_PER_MEMBER;
        db.setAutoCommit(false);
        Sql.execute(db, """
                INSERT INTO members (studio_id, id, name, created_at, updated_at)
                SELECT ?, 'mbr_sweep_' || m, 'Sweep ' || m, now(), now() FROM generate_series(1, ?) m""",
                studio, members);
        Sql.execute(db, """
                INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                  expires_at, validity_start, cost_minor, currency, category)
                SELECT ?, 'lot_sweep_' || m || '_' || l, 'mbr_sweep_' || m, 'master', ?, ?,
                       now() - interval '60 days', now() - interval '60 days', now() - l * interval '1 minute',
                       'purchase', 0, 'EUR', 'promotional'
                FROM generate_series(1, ?) m, generate_series(1, ?) l""",
                studio, CREDITS_PER_LOT, CREDITS_PER_LOT, members, LOTS_PER_MEMBER);
        Sql.execute(db, """
                INSERT INTO journal (studio_id, member_id, account, lot_id, type, delta, balance_after, description,
                                     actor, at)
                SELECT ?, 'mbr_sweep_' || m, 'master', 'lot_sweep_' || m || '_' || l, 'granted', ?, ? * l,
                       'Granted', 'bench', now() - interval '60 days'
                FROM generate_series(1, ?) m, generate_series(1, ?) l""",
                studio, CREDITS_PER_LOT, CREDITS_PER_LOT, members, LOTS_PER_MEMBER);
        db.commit();
        db.setAutoCommit(true);
        try (var statement = db.createStatement()) {
            statement.execute("ANALYZE lots");
        }
    }
}
