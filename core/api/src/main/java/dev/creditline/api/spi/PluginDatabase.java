package dev.creditline.api.spi;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The plugin's own tables: a PostgreSQL schema named {@code plugin_<id>} (dashes become underscores), migrated at
 * start by Flyway from the plugin's {@code db/plugins/<id>/} resources with its own history table. Every row should
 * carry the studio id, as the kernel's do, and be keyed by it (it leads every primary key and unique constraint): on a
 * Citus cluster the kernel distributes each table with a {@code studio_id} column by it, colocated with the studio's
 * ledger, and makes the others reference tables copied to every node. A query for one studio's request names its
 * {@code studio_id}, so that it runs on one shard.
 */
public interface PluginDatabase {

    /** The kernel's connection pool (shared; keep transactions short). */
    Pool pool();

    /** The plugin's schema, to qualify table names in SQL. */
    String schema();

    /**
     * Runs a query meant to span studios, in a transaction of its own: a lookup before the studio is known (a
     * webhook without our metadata), a sweep. On a database distributed by studio it reads every shard; the Citus
     * test suite refuses such queries unless they come through here.
     */
    Future<RowSet<Row>> acrossStudios(String sql, Tuple arguments);
}
