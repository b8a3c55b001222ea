package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lookups by id of a studio that is newer than the planner's statistics use the primary key, not an index that
 * only narrows to the studio (which reads every row the studio has).
 */
class QueryPlanTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void aStudioNewerThanTheStatisticsIsStillReadByPrimaryKey() {
        StudioFixture big = server.studio(false);
        String scheduler = big.scheduler("Open Gym", 1);
        // A studio with many rows, then statistics that know only it.
        require(server.probe().tryExecute("""
                INSERT INTO members (studio_id, id, name, created_at, updated_at)
                SELECT '%1$s', 'mem_big_' || m, 'Big ' || m, now(), now() FROM generate_series(1, 20000) m;
                INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                  expires_at, validity_start, cost_minor, currency, category)
                SELECT '%1$s', 'lot_big_' || m, 'mem_big_' || m, 'master', 5, 5, now(), now(), now() + interval '1 year',
                       'purchase', 0, 'EUR', 'promotional' FROM generate_series(1, 20000) m;
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

    private static String plan(String sql, Object... values) {
        return server.probe().text("EXPLAIN (FORMAT JSON) " + sql.formatted(values));
    }

    private static void require(String sqlState) {
        assertThat(sqlState).as("SQL state of the set-up").isNull();
    }
}
