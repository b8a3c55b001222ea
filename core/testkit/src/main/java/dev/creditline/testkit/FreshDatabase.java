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
        execute("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + tpl.database() + "\"");
        return tpl.withDatabase(name);
    }

    /** Drops a database, closing its connections. */
    public static void drop(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
    }

    private static DatabaseUrl template() throws SQLException {
        if (template == null) {
            dropLeftovers();
            String name = PREFIX + PID + "_template";
            execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            execute("CREATE DATABASE \"" + name + "\"");
            DatabaseUrl url = server().withDatabase(name);
            DatabaseSetup.migrate(url);
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

    /** Drops the databases of test JVMs that are no longer running. */
    private static void dropLeftovers() throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
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

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        DatabaseUrl server = server();
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (server.password() != null) {
            properties.setProperty("password", server.password());
        }
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }
}
