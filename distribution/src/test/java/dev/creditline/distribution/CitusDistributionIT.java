package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.FreshDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a Citus cluster (the citus Maven profile): the kernel's and every bundled plugin's tables are distributed by
 * studio and colocated with the studios, or are reference tables when they hold no studio's rows; a query that spans
 * shards without saying so is refused, which is what keeps every request of the suite on its studio's shard.
 */
class CitusDistributionIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    @BeforeAll
    static void onCitus() {
        Assumptions.assumeTrue(FreshDatabase.citus(), "runs in the citus profile");
    }

    @Test
    void everyTableIsDistributedByStudioOrCopiedToEveryNode() {
        StudioFixture studio = server.studio(false);
        studio.member("Ada");
        List<String> local = server.probe().rows("""
                SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND (n.nspname = 'public' OR n.nspname LIKE 'plugin\\_%')
                  AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)""");
        assertThat(local).as("tables Citus does not know").isEmpty();

        List<String> byStudio = server.probe().rows("""
                SELECT p.logicalrelid::regclass::text || ' ' || a.attname
                FROM pg_dist_partition p JOIN pg_attribute a ON a.attrelid = p.logicalrelid
                    AND a.attname = column_to_column_name(p.logicalrelid, p.partkey)
                WHERE p.partmethod = 'h'
                  AND p.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'studios'::regclass)""");
        assertThat(byStudio).contains("studios id", "journal studio_id", "lots studio_id", "members studio_id",
                "api_keys studio_id", "idempotency_keys studio_id", "plugin_stripe.events studio_id",
                "plugin_stripe.subscriptions studio_id", "plugin_vouchers.vouchers studio_id",
                "plugin_automations.runs studio_id", "plugin_trainer_bound.offboardings studio_id");
        assertThat(byStudio).allSatisfy(row -> assertThat(row).matches("studios id|\\S+ studio_id"));

        List<String> copied = server.probe().rows("SELECT logicalrelid::regclass::text FROM pg_dist_partition"
                + " WHERE partmethod = 'n' ORDER BY 1");
        assertThat(copied).contains("server_settings", "flyway_schema_history",
                "plugin_stripe.flyway_schema_history");
        long tables = server.probe().number("""
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND (n.nspname = 'public' OR n.nspname LIKE 'plugin\\_%')""");
        assertThat(byStudio.size() + copied.size()).isEqualTo(tables);
        // Every studio's rows are on workers: the coordinator holds none of them.
        assertThat(server.probe().number("SELECT count(*) FROM pg_dist_shard s JOIN pg_dist_placement p"
                + " USING (shardid) JOIN pg_dist_node n ON n.groupid = p.groupid"
                + " WHERE s.logicalrelid = 'journal'::regclass AND n.noderole = 'primary' AND n.groupid = 0"))
                .isZero();
    }

    @Test
    void aQueryOverEveryShardThatIsNotMarkedAsOneIsRefused() throws SQLException {
        StudioFixture studio = server.studio(false);
        studio.member("Ben");
        DatabaseUrl url = server.databaseUrl();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var statement = c.createStatement()) {
            // One studio's rows: its shard alone.
            try (var rows = statement.executeQuery("SELECT count(*) FROM members WHERE studio_id = '" + studio.id()
                    + "'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(1);
            }
            // Every studio's rows: refused, unless marked (MultiShard) as meant to span studios.
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> statement.executeQuery("SELECT count(*) FROM members"));
            assertThat(refused.getMessage()).contains("multi-task query");
            c.setAutoCommit(false);
            statement.execute(dev.creditline.store.citus.MultiShard.ALLOW);
            try (var rows = statement.executeQuery("SELECT count(*) FROM members")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isPositive();
            }
            c.rollback();
        }
    }
}
