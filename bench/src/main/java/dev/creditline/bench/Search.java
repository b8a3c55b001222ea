package dev.creditline.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The members search at scale: {@code GET /v1/members?q=} in a studio of 10,000 members among others (50 studios of
 * 10,000 by default), each listed member with a lot, with the trigram index of V13 and then without it (dropped, and
 * built again at the end). Members and lots are written in SQL; the searches go through the HTTP API one at a time,
 * interleaved, each after a warm-up long enough for the server's prepared statements to reach their generic plan.
 * Also the plan PostgreSQL runs for a rare text with the index (EXPLAIN ANALYZE of the server's statement).
 */
public final class Search {
    private static final String[] FIRST = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Ida",
        "Jonas", "Karl", "Lena", "Mia", "Noah", "Olga", "Paul", "Rosa", "Sam", "Tina", "Vera"};
    private static final String[] LAST = {"Berg", "Maier", "Schmidt", "Fischer", "Weber", "Wagner", "Becker",
        "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krueger",
        "Hofmann", "Hartmann", "Lange"};
    /** The members list's statement as MemberRepository.list sends it, for a text with a trigram and without. */
    private static final String SEARCH = "SELECT id, seq, name, email, external_id, tags, created_at, updated_at,"
            + " deleted_at, merged_into FROM members WHERE studio_id = ? AND seq > 0 AND deleted_at IS NULL"
            + " AND merged_into IS NULL AND (name ILIKE ? OR email ILIKE ?) ORDER BY seq LIMIT 51";
    private static final String SHORT_SEARCH = SEARCH.replace("(name ILIKE ? OR email ILIKE ?)",
            "(strpos(lower(name), lower(?)) > 0 OR strpos(lower(email), lower(?)) > 0)");

    private Search() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        int members = args.integer("members", 10_000);
        int studios = args.integer("studios", 50);
        int rounds = args.integer("rounds", 200);
        // What a coach types: a common first name, one member's email, nothing anyone has, and two letters (no
        // trigram: searched without the index either way), common and rare; and a text in every email.
        Map<String, String> searches = new LinkedHashMap<>();
        searches.put("no search (first page)", null);
        searches.put("`anna` (a common first name)", "anna");
        searches.put("`example` (in every email)", "example");
        searches.put("`4321@` (one member's email)", "4321@");
        searches.put("`zqxj` (no match)", "zqxj");
        searches.put("`an` (two letters)", "an");
        searches.put("`qx` (two letters, no match)", "qx");
        Map<String, Long> matches = new LinkedHashMap<>();
        Map<String, Histogram> indexed = new LinkedHashMap<>();
        Map<String, Histogram> scanned = new LinkedHashMap<>();
        Map<String, String> plans = new LinkedHashMap<>();
        String plan;
        try (Api api = new Api(base, 1);
             Connection db = DriverManager.getConnection(args.text("jdbc", null))) {
            String adminToken = args.text("admin-token", null);
            JsonObject studio = api.call(HttpMethod.POST, "/admin/studios", adminToken, new JsonObject()
                    .put("name", "Search").put("timezone", "Europe/Berlin").put("currency", "EUR")).expect(201).body();
            String studioId = studio.getString("id");
            String owner = studio.getString("ownerKey");
            long writing = System.nanoTime();
            writeMembers(db, studioId, "mem_search_", members, true);
            for (int other = 1; other < studios; other++) {
                String otherId = api.call(HttpMethod.POST, "/admin/studios", adminToken, new JsonObject()
                        .put("name", "Other " + other).put("timezone", "Europe/Berlin").put("currency", "EUR"))
                        .expect(201).body().getString("id");
                writeMembers(db, otherId, "mem_other_" + other + "_", members, false);
            }
            try (Statement statement = db.createStatement()) {
                statement.execute("ANALYZE members, lots");
            }
            System.out.printf("%,d members in %d studios written in %.0f s%n", (long) members * studios, studios,
                    (System.nanoTime() - writing) / 1e9);
            for (var search : searches.entrySet()) {
                matches.put(search.getKey(), search.getValue() == null ? members : Sql.count(db, "SELECT count(*)"
                                + " FROM members WHERE studio_id = ? AND (strpos(lower(name), lower(?)) > 0"
                                + " OR strpos(lower(email), lower(?)) > 0)", studioId, search.getValue(),
                        search.getValue()));
            }

            measure(api, owner, searches, rounds, indexed);
            for (var search : searches.entrySet()) {
                plans.put(search.getKey(), search.getValue() == null ? "" : summary(plan(db, studioId,
                        search.getValue())));
            }
            plan = plan(db, studioId, "4321@");

            String definition = text(db, "SELECT indexdef FROM pg_indexes WHERE indexname = 'members_search'");
            try (Statement statement = db.createStatement()) {
                statement.execute("DROP INDEX members_search");
            }
            try {
                measure(api, owner, searches, rounds, scanned);
            } finally {
                try (Statement statement = db.createStatement()) {
                    statement.execute(definition);
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (String search : searches.keySet()) {
            rows.add(String.format("| %s | %,d | %.1f | %.1f | %s | %.1f | %.1f |", search, matches.get(search),
                    ms(indexed.get(search), 50), ms(indexed.get(search), 99), plans.get(search),
                    ms(scanned.get(search), 50), ms(scanned.get(search), 99)));
        }
        String report = String.join("\n", List.of(
                "### Members search, " + String.format("%,d", members) + " members of a studio among "
                        + String.format("%,d", (long) members * studios) + " (" + rounds + " requests each)",
                "",
                "`GET /v1/members?q=` over HTTP, one at a time, each page with its members' balances (50 members a "
                        + "page; every member holds a lot).",
                "",
                "| search | matches in the studio | p50 ms | p99 ms | PostgreSQL's plan: index, execution ms"
                        + " | p50 ms without the index | p99 ms without |",
                "|---|---|---|---|---|---|---|",
                String.join("\n", rows),
                "",
                "The server's statement for `4321@` (EXPLAIN ANALYZE with its values: the server has it planned per"
                        + " call):",
                "",
                "```",
                plan.strip(),
                "```",
                ""));
        System.out.println(report);
        Files.writeString(Path.of(args.text("out", "bench/target/search.md")), report);
    }

    /** Members with varied names and emails; those of the measured studio each with a lot of 5 master credits. */
    private static void writeMembers(Connection db, String studioId, String prefix, int members, boolean withLots)
            throws SQLException {
        db.setAutoCommit(false);
        Sql.execute(db, """
                INSERT INTO members (studio_id, id, name, email, created_at, updated_at)
                SELECT ?, ? || i, f.name || ' ' || l.name, lower(f.name) || '.' || lower(l.name) || i || '@example'
                       || (i % 7) || '.com', now(), now()
                FROM generate_series(1, ?) i,
                     LATERAL (SELECT (?::text[])[1 + (i * 7) % ?] AS name) f,
                     LATERAL (SELECT (?::text[])[1 + (i * 13 + i / 400) % ?] AS name) l""",
                studioId, prefix, members, db.createArrayOf("text", FIRST), FIRST.length,
                db.createArrayOf("text", LAST), LAST.length);
        if (withLots) {
            Sql.execute(db, """
                    INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                      expires_at, validity_start, cost_minor, currency, category)
                    SELECT ?, 'lot_' || ? || i, ? || i, 'master', 5, 5, now() - interval '1 day',
                           now() - interval '1 day', now() + interval '1 year', 'purchase', 0, 'EUR', 'promotional'
                    FROM generate_series(1, ?) i""", studioId, prefix, prefix, members);
        }
        db.commit();
        db.setAutoCommit(true);
    }

    /** Every search once per round, after a warm-up of 100 rounds (the server's code and plans); latency per search. */
    private static void measure(Api api, String owner, Map<String, String> searches, int rounds,
                                Map<String, Histogram> latencies) {
        searches.keySet().forEach(s -> latencies.put(s, new Histogram(TimeUnit.MINUTES.toMicros(1), 3)));
        for (int round = -100; round < rounds; round++) {
            for (var search : searches.entrySet()) {
                String path = "/v1/members" + (search.getValue() == null ? ""
                        : "?q=" + URLEncoder.encode(search.getValue(), StandardCharsets.UTF_8));
                long start = System.nanoTime();
                JsonObject page = api.call(HttpMethod.GET, path, owner, null).expect(200).body();
                long took = (System.nanoTime() - start) / 1000;
                var items = page.getJsonArray("items");
                check(items != null && (items.isEmpty() || items.getJsonObject(0).getJsonObject("credits") != null),
                        "not a page of members with their credits: " + page.encode());
                if (round >= 0) {
                    latencies.get(search.getKey()).recordValue(took);
                }
            }
        }
    }

    /**
     * The plan of the server's search statement for a text, with its values (as the server plans it): the ILIKE form
     * for a text with three letters or digits in a row, else the strpos form (MemberRepository.list).
     */
    private static String plan(Connection db, String studioId, String text) throws SQLException {
        boolean trigram = text.matches(".*[\\p{L}\\p{N}]{3}.*");
        String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (PreparedStatement statement = db.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) "
                + (trigram ? SEARCH : SHORT_SEARCH))) {
            statement.setString(1, studioId);
            statement.setString(2, trigram ? like : text);
            statement.setString(3, trigram ? like : text);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    /** The indexes a plan reads and its execution time: "members_search, 0.2". */
    private static String summary(String plan) {
        java.util.Set<String> indexes = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher scan = java.util.regex.Pattern.compile("Index Scan (?:using|on) (\\w+)").matcher(plan);
        while (scan.find()) {
            indexes.add(scan.group(1));
        }
        java.util.regex.Matcher time = java.util.regex.Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(plan);
        return String.join(" + ", indexes) + ", " + (time.find() ? String.format("%.1f",
                Double.parseDouble(time.group(1))) : "?");
    }

    private static String text(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            check(rows.next(), "no row for " + sql);
            return rows.getString(1);
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
