package dev.creditline.store;

import io.vertx.pgclient.SslMode;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Properties;
import dev.creditline.store.citus.CitusDistribution;
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

    /** Applies the ledger's pending migrations (and, on a Citus coordinator, distributes new tables by studio). */
    public static void migrate(DatabaseUrl url) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations(MIGRATIONS)
                .callbacks(new CitusDistribution("public"))
                .load()
                .migrate();
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private static DatabaseUnavailableException unavailable(DatabaseUrl url, SQLException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new DatabaseUnavailableException("cannot use PostgreSQL at " + url + ": " + why + " — " + hint(url, e),
                e);
    }

    /** What to do about a failed connection; the driver's own words come first, this only adds to them. */
    private static String hint(DatabaseUrl url, SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return "the server's certificate is not signed by a CA of sslrootcert ("
                        + url.parameters().sslRootCert() + ")";
            }
        }
        String message = String.valueOf(e.getMessage());
        if (url.sslMode() == SslMode.VERIFY_FULL && message.contains("hostname")) {
            return "the server's certificate is not made out to " + url.host()
                    + " (connect by a name it holds, or use sslmode=verify-ca)";
        }
        if (url.sslMode() != SslMode.DISABLE && url.parameters().sslCert() == null
                && message.contains("client certificate")) {
            return "the server asks for a client certificate: set sslcert and sslkey in the database URL";
        }
        if (EnumSet.of(SslMode.DISABLE, SslMode.ALLOW, SslMode.PREFER).contains(url.sslMode())
                && message.contains("no encryption")) {
            return "the server may take TLS connections only: set sslmode in the database URL"
                    + " (e.g. ?sslmode=verify-full&sslrootcert=<PEM file of the server's CA>)";
        }
        return "start PostgreSQL (pg_ctlcluster <version> main start) or point CREDITLINE_DATABASE_URL at a "
                + "reachable server (postgresql://user[:password]@host:port/database)";
    }
}
