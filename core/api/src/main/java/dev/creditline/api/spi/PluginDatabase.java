package dev.creditline.api.spi;

import io.vertx.sqlclient.Pool;

/**
 * The plugin's own tables: a PostgreSQL schema named {@code plugin_<id>} (dashes become underscores), migrated at
 * start by Flyway from the plugin's {@code db/plugins/<id>/} resources with its own history table. Every row should
 * carry the studio id, as the kernel's do.
 */
public interface PluginDatabase {

    /** The kernel's connection pool (shared; keep transactions short). */
    Pool pool();

    /** The plugin's schema, to qualify table names in SQL. */
    String schema();
}
