package dev.creditline.store.citus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration step that spreads a schema over a Citus cluster: after Flyway migrated a schema, every table of it
 * that is not distributed yet becomes distributed by {@code studio_id}, colocated with {@code studios} (itself
 * distributed by {@code id}), so that everything of one studio lives on one shard and a request of one studio is a
 * single-shard transaction. A table without a {@code studio_id} (server-wide settings, Flyway's history) becomes a
 * reference table, copied to every node. On plain PostgreSQL (no {@code citus} extension) it does nothing.
 *
 * <p>New tables of later migrations, the kernel's or a plugin's, are distributed the same way on the next start.
 */
public final class CitusDistribution extends BaseCallback {
    /** The table every distributed table is colocated with. */
    public static final String STUDIOS = "public.studios";
    /** The column tables are distributed by. */
    public static final String STUDIO_COLUMN = "studio_id";

    private static final Logger LOG = LoggerFactory.getLogger(CitusDistribution.class);

    private final String schema;

    /** Distributes the tables of {@code schema} after each migration of it. */
    public CitusDistribution(String schema) {
        this.schema = schema;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        DataSource dataSource = context.getConfiguration().getDataSource();
        try (Connection connection = dataSource.getConnection()) {
            distribute(connection, schema);
        } catch (SQLException e) {
            throw new FlywayException("could not distribute the tables of schema " + schema + " over Citus: "
                    + e.getMessage(), e);
        }
    }

    /** Whether the database is a Citus one (the extension is created in it). */
    public static boolean isCitus(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'citus'")) {
            return rows.next();
        }
    }

    /** Distributes the schema's tables that are not yet, in one transaction; nothing on plain PostgreSQL. */
    public static void distribute(Connection connection, String schema) throws SQLException {
        if (!isCitus(connection)) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            List<Table> tables = undistributed(s, schema);
            if (tables.isEmpty()) {
                connection.rollback();
                return;
            }
            // The journal's triggers only refuse updates and deletes: every shard may run them.
            s.execute("SET LOCAL citus.enable_unsafe_triggers = on");
            // Tables created and referenced in one transaction need Citus's sequential mode.
            s.execute("SET LOCAL citus.multi_shard_modify_mode = 'sequential'");
            // Foreign keys among the tables may form a cycle (purchases, subscriptions, lots): Citus distributes a
            // table only once the tables it references are, so the keys go while the tables are distributed.
            List<String[]> foreignKeys = foreignKeys(s, tables);
            for (String[] key : foreignKeys) {
                s.execute("ALTER TABLE " + key[0] + " DROP CONSTRAINT " + quoted(key[1]));
            }
            tables.sort((a, b) -> Boolean.compare(!a.name.equals(STUDIOS), !b.name.equals(STUDIOS)));
            for (Table table : tables) {
                if (table.name.equals(STUDIOS)) {
                    s.execute("SELECT create_distributed_table('" + STUDIOS + "', 'id')");
                } else if (table.byStudio) {
                    s.execute("SELECT create_distributed_table('" + table.name + "', '" + STUDIO_COLUMN
                            + "', colocate_with => '" + STUDIOS + "')");
                } else {
                    s.execute("SELECT create_reference_table('" + table.name + "')");
                }
            }
            for (String[] key : foreignKeys) {
                s.execute("ALTER TABLE " + key[0] + " ADD CONSTRAINT " + quoted(key[1]) + " " + key[2]);
            }
            connection.commit();
            LOG.info("Distributed {} table(s) of schema {} over Citus", tables.size(), schema);
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private record Table(String name, boolean byStudio) {
    }

    private static List<Table> undistributed(Statement s, String schema) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (ResultSet rows = s.executeQuery("""
                SELECT c.oid::regclass::text AS name,
                       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '%s'
                               AND NOT a.attisdropped) AS by_studio
                FROM pg_class c
                WHERE c.relnamespace = '%s'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)
                ORDER BY 1""".formatted(STUDIO_COLUMN, schema.replace("'", "''")))) {
            while (rows.next()) {
                String name = rows.getString("name");
                // regclass text leaves public unqualified.
                tables.add(new Table(name.contains(".") ? name : "public." + name, rows.getBoolean("by_studio")));
            }
        }
        return tables;
    }

    /** The foreign keys of the tables: {table, name, definition}. */
    private static List<String[]> foreignKeys(Statement s, List<Table> tables) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (Table table : tables) {
            names.append(names.length() == 0 ? "" : ", ").append("'").append(table.name).append("'::regclass");
        }
        try (ResultSet rows = s.executeQuery("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE contype = 'f' AND conrelid IN (" + names + ") ORDER BY 1, 2")) {
            while (rows.next()) {
                keys.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
        }
        return keys;
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
