package dev.creditline.store.citus;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Whether the ledger's tables are spread over a Citus cluster by studio (known once the server started). There a
 * transaction stays on one shard only when it touches one studio's rows, so the write pipelines batch the requests
 * of one studio at a time instead of any studios'.
 */
@Singleton
public final class Distribution {
    /**
     * What every new connection runs first. On Citus: plan each execution of a prepared statement with its
     * arguments. A generic plan (PostgreSQL's choice after five runs) hides the studio a batch's {@code studio_id =
     * ANY($1)} names, and Citus then sends the statement to every shard; planned with the arguments it goes to the
     * studio's shard alone. On plain PostgreSQL it selects nothing and changes nothing.
     */
    public static final String SESSION_SETUP = "SELECT set_config('plan_cache_mode', 'force_custom_plan', false)"
            + " FROM pg_extension WHERE extname = 'citus'";

    private volatile boolean byStudio;

    @Inject
    public Distribution() {
    }

    /** Asks the database (at start). */
    public Future<Void> detect(SqlClient client) {
        return client.query("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus").execute()
                .map(rows -> {
                    byStudio = rows.iterator().next().getBoolean("citus");
                    return null;
                });
    }

    /**
     * For a batch's lookup ({@code unnest($1::text[], ...)} of studios and ids): on Citus the condition that names the
     * batch's studios on a table, {@code <column> = ANY($1) AND }, so that Citus sends the statement to their shard
     * (a batch holds one studio there); on PostgreSQL nothing, where the planner would take it to read every row of
     * the studios instead of looking each id up.
     */
    public String batchShard(String column) {
        return byStudio ? column + " = ANY($1) AND " : "";
    }

    /** Whether the tables are distributed by studio (a Citus coordinator). */
    public boolean byStudio() {
        return byStudio;
    }
}
