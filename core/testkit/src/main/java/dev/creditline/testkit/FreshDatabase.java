package dev.creditline.testkit;

import dev.creditline.store.DatabaseSetup;
import dev.creditline.store.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class its own PostgreSQL database, copied from a template that is migrated
 * once per JVM, and drops it afterwards. Register it as {@code @RegisterExtension static FreshDatabase db = new
 * FreshDatabase();} and use {@link #url()}.
 *
 * <p>The server is {@code CREDITLINE_TEST_DATABASE_URL} (default {@code postgresql://postgres@127.0.0.1:5432/postgres});
 * the role needs CREATEDB. Databases left by a killed test JVM are dropped by the next run.
 *
 * <p>With {@code CREDITLINE_TEST_CITUS_WORKERS} ({@code host:port,...}) the server is a Citus coordinator: every
 * database is made on the coordinator and each worker (Citus does not propagate {@code CREATE DATABASE}), the
 * template gets the {@code citus} extension and the workers before it is migrated (the migrations distribute the
 * schema), and each test database refuses multi-shard queries ({@code citus.multi_task_query_log_level = error})
 * unless the server marks them as meant to span studios ({@code store.citus.MultiShard}).
 */
public final class FreshDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final String PREFIX = "creditline_t_";
    private static final long PID = ProcessHandle.current().pid();
    private static DatabaseUrl template;

    private DatabaseUrl url;

    /** The test class's database. */
    public DatabaseUrl url() {
        if (url == null) {
            throw new IllegalStateException("the database exists from @BeforeAll on");
        }
        return url;
    }

    /** The server the test databases live on. */
    public static DatabaseUrl server() {
        String configured = System.getenv("CREDITLINE_TEST_DATABASE_URL");
        return DatabaseUrl.parse(configured == null || configured.isBlank()
                ? "postgresql://postgres@127.0.0.1:5432/postgres" : configured);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        url = create();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (url != null) {
            drop(url.database());
            url = null;
        }
    }

    /** Creates a new migrated database and returns its URL; the caller drops it with {@link #drop}. */
    public static synchronized DatabaseUrl create() throws SQLException {
        DatabaseUrl tpl = template();
        String name = PREFIX + PID + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        for (DatabaseUrl node : nodes()) {
            execute(node, "CREATE DATABASE \"" + name + "\" TEMPLATE \"" + tpl.database() + "\"");
        }
        if (citus()) {
            execute(server(), "ALTER DATABASE \"" + name + "\" SET citus.multi_task_query_log_level = '"
                    + multiShardLevel() + "'");
        }
        return tpl.withDatabase(name);
    }

    /** Drops a database, closing its connections. */
    public static void drop(String database) throws SQLException {
        for (DatabaseUrl node : nodes()) {
            execute(node, "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        }
    }

    /** Whether the test databases live on a Citus cluster ({@code CREDITLINE_TEST_CITUS_WORKERS} is set). */
    public static boolean citus() {
        return !workers().isEmpty();
    }

    /**
     * What a test database does with a multi-shard query not marked as one: {@code error} (refuse it), or
     * {@code CREDITLINE_TEST_CITUS_MULTI_SHARD} ({@code warning} logs each in the coordinator's log instead, to list
     * them all in one run).
     */
    private static String multiShardLevel() {
        String configured = System.getenv("CREDITLINE_TEST_CITUS_MULTI_SHARD");
        return configured == null || configured.isBlank() ? "error" : configured.replaceAll("[^a-z]", "");
    }

    /** The Citus workers ({@code host:port} each), or none. */
    private static List<DatabaseUrl> workers() {
        String configured = System.getenv("CREDITLINE_TEST_CITUS_WORKERS");
        List<DatabaseUrl> workers = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            DatabaseUrl coordinator = server();
            for (String node : configured.split(",")) {
                String[] hostPort = node.trim().split(":");
                workers.add(new DatabaseUrl(hostPort[0], Integer.parseInt(hostPort[1]), coordinator.database(),
                        coordinator.user(), coordinator.password(), coordinator.parameters()));
            }
        }
        return workers;
    }

    /** The server, then any Citus workers. */
    private static List<DatabaseUrl> nodes() {
        List<DatabaseUrl> nodes = new ArrayList<>();
        nodes.add(server());
        nodes.addAll(workers());
        return nodes;
    }

    private static DatabaseUrl template() throws SQLException {
        if (template == null) {
            dropLeftovers();
            String name = PREFIX + PID + "_template";
            drop(name);
            for (DatabaseUrl node : nodes()) {
                execute(node, "CREATE DATABASE \"" + name + "\"");
            }
            DatabaseUrl url = server().withDatabase(name);
            if (citus()) {
                joinWorkers(url);
            }
            DatabaseSetup.migrate(url);
            if (citus()) {
                // Citus keeps connections to the template (its maintenance daemon, cached ones between nodes);
                // a database is copied only while nobody is connected to it.
                for (DatabaseUrl node : nodes()) {
                    execute(node, "ALTER DATABASE \"" + name + "\" WITH ALLOW_CONNECTIONS false");
                }
                for (DatabaseUrl node : nodes()) {
                    execute(node, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + name + "' AND pid <> pg_backend_pid()");
                }
            }
            template = url;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    drop(name);
                } catch (SQLException ignored) {
                    // The next run drops it.
                }
            }));
        }
        return template;
    }

    /**
     * Makes the template a Citus database: the extension on every node, and the coordinator told where it and the
     * workers are. A few shards per node keep the distribution of each test's plugin tables quick.
     */
    private static void joinWorkers(DatabaseUrl url) throws SQLException {
        for (DatabaseUrl node : nodes()) {
            execute(new DatabaseUrl(node.host(), node.port(), url.database(), node.user(), node.password(),
                    node.parameters()), "CREATE EXTENSION IF NOT EXISTS citus");
        }
        DatabaseUrl coordinator = server();
        execute(url, "SELECT citus_set_coordinator_host('" + coordinator.host() + "', " + coordinator.port() + ")");
        for (DatabaseUrl worker : workers()) {
            execute(url, "SELECT citus_add_node('" + worker.host() + "', " + worker.port() + ")");
        }
        execute(server(), "ALTER DATABASE \"" + url.database() + "\" SET citus.shard_count = 8");
    }

    /** Drops the databases of test JVMs that are no longer running. */
    private static void dropLeftovers() throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Connection c = connect(server()); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rows.next()) {
                String name = rows.getString(1);
                String[] parts = name.substring(PREFIX.length()).split("_");
                if (!Files.exists(Path.of("/proc", parts[0])) || parts[0].equals(String.valueOf(PID))) {
                    stale.add(name);
                }
            }
        }
        for (String name : stale) {
            drop(name);
        }
    }

    private static void execute(DatabaseUrl node, String sql) throws SQLException {
        try (Connection c = connect(node); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(DatabaseUrl server) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (server.password() != null) {
            properties.setProperty("password", server.password());
        }
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }
}
