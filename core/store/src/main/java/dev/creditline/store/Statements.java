package dev.creditline.store;

import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Which statements the connections keep prepared. A kept statement gets a generic plan after a few runs, one plan for
 * all parameter values; a statement marked {@link #PLANNED_PER_CALL} is prepared unnamed each time instead, so
 * PostgreSQL plans it for the values it runs with.
 */
public final class Statements {
    /**
     * Starts the SQL of a statement whose best plan depends on its values: the members search, where a text many
     * members contain is read fastest in list order up to a full page, and a rare one from the trigram index.
     */
    public static final String PLANNED_PER_CALL = "/* planned per call */ ";

    private Statements() {
    }

    /** Whether a connection keeps the statement prepared (the pool's statement cache filter). */
    public static boolean cacheable(String sql) {
        return !sql.startsWith(PLANNED_PER_CALL) && SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_FILTER.test(sql);
    }
}
