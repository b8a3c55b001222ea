package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.FreshDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lookups by id of a studio that is newer than the planner's statistics use the primary key, not an index that
 * only narrows to the studio (which reads every row the studio has).
 *
 * <p>PostgreSQL's plans: on Citus the coordinator plans a distributed query; the Citus suite refuses any that
 * spans shards unmarked (FreshDatabase), and CitusDistributionIT checks the distribution.
 */
class QueryPlanTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @BeforeAll
    static void onPostgreSql() {
        Assumptions.assumeFalse(FreshDatabase.citus(), "the plans of PostgreSQL itself");
    }

    @Test
    void aStudioNewerThanTheStatisticsIsStillReadByPrimaryKey() {
        StudioFixture big = server.studio(false);
        String scheduler = big.scheduler("Open Gym", 1);
        // A studio with many rows, then statistics that know only it.
        require(server.probe().tryExecute(manyMembersWithLots(big.id(), "big") + """
                ;
                INSERT INTO bookings (studio_id, id, member_id, scheduler_id, scheduler_name, starts_at, cancel_by,
                                      status, pay_with, cost, created_at, actor)
                SELECT '%1$s', 'bkg_big_' || m, 'mem_big_' || m, '%2$s', 'Open Gym', now(), now(), 'booked', 'direct',
                       0, now(), 'test' FROM generate_series(1, 20000) m;
                ANALYZE members, lots, bookings""".formatted(big.id(), scheduler)));

        StudioFixture small = server.studio(false);
        String member = small.member("Ada");
        small.grant(member, 3);
        String lot = server.probe().text("SELECT id FROM lots WHERE member_id = ?", member);
        String booking = small.book(member, small.scheduler("Yoga", 1), Instant.parse("2030-01-01T10:00:00Z"))
                .expect(201).text("/id");

        assertThat(plan("SELECT * FROM members WHERE studio_id = '%s' AND id = '%s' FOR UPDATE", small.id(), member))
                .contains("\"Index Name\": \"members_pkey\"");
        assertThat(plan("SELECT id FROM lots WHERE studio_id = '%s' AND id = ANY(ARRAY['%s'])", small.id(), lot))
                .contains("\"Index Name\": \"lots_pkey\"");
        assertThat(plan("SELECT * FROM bookings WHERE studio_id = '%s' AND id = '%s' FOR UPDATE", small.id(), booking))
                .contains("\"Index Name\": \"bookings_pkey\"");
    }

    /**
     * The batch lookups (one statement for the rows of many requests, by studio and id) read the rows they name, not
     * the studio's: bookings in a studio of 20,000 lots read a few lots each. (A condition on the studio alone, which
     * Citus needs and PostgreSQL's planner takes as the way in, once made each booking read all 20,000.)
     */
    @Test
    void batchLookupsReadTheirRowsNotTheStudios() throws Exception {
        StudioFixture big = server.studio(false);
        String scheduler = big.scheduler("Open Gym", 1);
        require(server.probe().tryExecute(manyMembersWithLots(big.id(), "many") + "; ANALYZE members, lots"));
        String member = big.member("Ada");
        big.grant(member, 20);
        long[] before = lotStatistics();
        int bookings = 10;
        for (int i = 0; i < bookings; i++) {
            big.book(member, scheduler, Instant.parse("2030-01-01T10:00:00Z").plusSeconds(3600L * i)).expect(201);
        }
        // A backend reports its counts when idle (within seconds): each booking updates one lot.
        long[] after = lotStatistics();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
             after[0] < before[0] + bookings && System.nanoTime() < deadline; after = lotStatistics()) {
            Thread.sleep(200);
        }
        assertThat(after[0]).as("lot updates counted").isGreaterThanOrEqualTo(before[0] + bookings);
        assertThat(after[1] - before[1]).as("lot rows read by %d bookings", bookings).isLessThan(100L * bookings);
    }

    /** SQL giving a studio 20,000 members ({@code mem_<tag>_<n>}) of one lot each ({@code lot_<tag>_<n>}). */
    private static String manyMembersWithLots(String studioId, String tag) {
        return """
                INSERT INTO members (studio_id, id, name, created_at, updated_at)
                SELECT '%1$s', 'mem_%2$s_' || m, 'Member ' || m, now(), now() FROM generate_series(1, 20000) m;
                INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                  expires_at, validity_start, cost_minor, currency, category)
                SELECT '%1$s', 'lot_%2$s_' || m, 'mem_%2$s_' || m, 'master', 5, 5, now(), now(),
                       now() + interval '1 year', 'purchase', 0, 'EUR', 'promotional' FROM generate_series(1, 20000) m"""
                .formatted(studioId, tag);
    }

    /** Lots updated, and lot rows read (by index and by scan), as PostgreSQL counts them. */
    private static long[] lotStatistics() {
        String[] counts = server.probe().text("SELECT n_tup_upd || ' ' || (coalesce(idx_tup_fetch, 0)"
                + " + coalesce(seq_tup_read, 0)) FROM pg_stat_user_tables WHERE relname = 'lots'").split(" ");
        return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
    }

    /**
     * A booking or cancel changes a lot's {@code remaining} (and writes back its expiry and member unchanged): no
     * index of lots may depend on it, so the update is HOT and adds no index entries.
     */
    @Test
    void aLotUpdateOfABookingIsHeapOnly() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Hal");
        studio.grant(member, 50);
        DatabaseUrl url = server.databaseUrl();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            c.setAutoCommit(false);
            try (Statement statement = c.createStatement()) {
                // As the server writes a lot back (LotRepository.update), on a page with the room that HOT needs.
                statement.executeUpdate("UPDATE lots SET remaining = remaining - 1, expires_at = expires_at,"
                        + " member_id = member_id WHERE studio_id = '" + studio.id() + "' AND member_id = '" + member
                        + "'");
                try (ResultSet counts = statement.executeQuery("SELECT n_tup_upd, n_tup_hot_upd"
                        + " FROM pg_stat_xact_user_tables WHERE relname = 'lots'")) {
                    assertThat(counts.next()).isTrue();
                    assertThat(counts.getLong("n_tup_hot_upd")).as("HOT updates of %s", counts.getLong("n_tup_upd"))
                            .isEqualTo(counts.getLong("n_tup_upd")).isPositive();
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** A table that grew since its statistics is analyzed again, whether or not autovacuum runs. */
    @Test
    void aTableThatGrewIsAnalyzedAgain() throws Exception {
        StudioFixture studio = server.studio(false);
        require(server.probe().tryExecute("""
                INSERT INTO trainers (studio_id, id, name, active, created_at)
                SELECT '%s', 'trn_many_' || t, 'Trainer ' || t, true, now() FROM generate_series(1, 2000) t"""
                .formatted(studio.id())));
        String analyzedAt = "SELECT coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never')"
                + " FROM pg_stat_user_tables WHERE relname = 'trainers'";
        String before = server.probe().text(analyzedAt);

        String after = before;
        for (int attempt = 0; attempt < 50 && after.equals(before); attempt++) {
            server.component().statisticsJob().runOnce().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            after = server.probe().text(analyzedAt);
            Thread.sleep(100);
        }

        assertThat(after).as("analyzed at").isNotEqualTo(before);
        assertThat(server.probe().number("SELECT reltuples::bigint FROM pg_class WHERE relname = 'trainers'"))
                .isGreaterThanOrEqualTo(2000);
    }

    /**
     * A members search for a text without a trigram never reads the trigram index of V13 (pg_trgm would read every
     * entry of it, of every studio: 200 ms on 500,000 members), but the studio in list order, stopping at a full page;
     * also with the generic plan the server's prepared statement gets after a few runs. (That a search with a trigram
     * reads the index once the table is large is measured by {@code bench/run --search}.)
     */
    @Test
    void aSearchForATextWithoutATrigramNeverReadsTheTrigramIndex() throws Exception {
        StudioFixture big = server.studio(false);
        require(server.probe().tryExecute("""
                INSERT INTO members (studio_id, id, name, email, created_at, updated_at)
                SELECT '%1$s', 'mem_search_' || m, 'Member ' || m, 'member' || m || '@example.com', now(), now()
                FROM generate_series(1, 20000) m;
                ANALYZE members""".formatted(big.id())));
        // As MemberRepository.list asks (its columns aside).
        String shortText = "SELECT id FROM members WHERE studio_id = $1 AND seq > $2 AND deleted_at IS NULL"
                + " AND merged_into IS NULL AND (strpos(lower(name), lower($4)) > 0"
                + " OR strpos(lower(email), lower($4)) > 0) ORDER BY seq LIMIT $3";

        assertThat(genericPlan(shortText, big.id(), "12")).doesNotContain("members_search")
                .contains("\"Index Name\": \"members_by_seq\"");
    }

    /** The plan of a prepared statement forced generic, as a cached statement's plan becomes. */
    private static String genericPlan(String sql, String studioId, String text) throws Exception {
        DatabaseUrl url = server.databaseUrl();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement statement = c.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE search(text, bigint, int, text) AS " + sql);
            try (ResultSet plan = statement.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE search('" + studioId
                    + "', 0, 51, '" + text + "')")) {
                assertThat(plan.next()).isTrue();
                return plan.getString(1);
            }
        }
    }

    private static String plan(String sql, Object... values) {
        return server.probe().text("EXPLAIN (FORMAT JSON) " + sql.formatted(values));
    }

    private static void require(String sqlState) {
        assertThat(sqlState).as("SQL state of the set-up").isNull();
    }
}
