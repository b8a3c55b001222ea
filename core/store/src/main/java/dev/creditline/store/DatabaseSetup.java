package dev.creditline.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Before the server starts: creates the database when it is missing and migrates it to the current schema. */
public final class DatabaseSetup {
    /** Where the ledger's SQL migrations live on the class path. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSetup.class);
    private static final String DATABASE_MISSING = "3D000";
    private static final String DATABASE_EXISTS = "42P04";

    private DatabaseSetup() {
    }

    /**
     * Creates the database if needed and applies pending migrations. Blocking: call it before the event loops start.
     *
     * @throws DatabaseUnavailableException when PostgreSQL cannot be reached or refuses the connection
     */
    public static void prepare(DatabaseUrl url) {
        createIfMissing(url);
        migrate(url);
    }

    /** Creates the database unless it exists. */
    public static void createIfMissing(DatabaseUrl url) {
        try (Connection connection = connect(url)) {
            if (connection.isValid(5)) {
                return;
            }
        } catch (SQLException e) {
            if (!DATABASE_MISSING.equals(e.getSQLState())) {
                throw unavailable(url, e);
            }
        }
        try (Connection admin = connect(url.withDatabase("postgres"));
             var statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + url.database() + "\"");
            LOG.info("Created database {}", url.database());
        } catch (SQLException e) {
            if (!DATABASE_EXISTS.equals(e.getSQLState())) {
                throw unavailable(url, e);
            }
        }
    }

    /** Applies the ledger's pending migrations. */
    public static void migrate(DatabaseUrl url) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations(MIGRATIONS)
                .load()
                .migrate();
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private static DatabaseUnavailableException unavailable(DatabaseUrl url, SQLException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new DatabaseUnavailableException("cannot use PostgreSQL at " + url + ": " + why
                + " — start PostgreSQL (pg_ctlcluster <version> main start) or point CREDITLINE_DATABASE_URL at a "
                + "reachable server (postgresql://user[:password]@host:port/database)", e);
    }
}
