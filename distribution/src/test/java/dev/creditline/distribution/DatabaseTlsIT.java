package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseSetup;
import dev.creditline.store.DatabaseUnavailableException;
import dev.creditline.store.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database URL's TLS parameters against a PostgreSQL of the test's own with {@code ssl=on}, a certificate of a
 * test CA made out to localhost and 127.0.0.1, and a pg_hba.conf that takes plaintext for the database {@code plain}
 * only and asks for a client certificate on {@code certs}. Each case is checked with both clients the server uses:
 * the JDBC driver (creating the database, migrations) and the reactive pool.
 */
class DatabaseTlsIT {
    private static final String SSL = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    private static Path certs;
    private static PrivatePostgres postgres;
    private static Vertx vertx;

    @BeforeAll
    static void startPostgresWithTls() throws Exception {
        certs = Files.createTempDirectory("creditline-tls-");
        authority("ca");
        authority("other-ca");
        signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        // The cert method of pg_hba.conf takes the certificate's CN as the role.
        signed("client", "postgres", "keyUsage=digitalSignature");
        Files.setPosixFilePermissions(certs.resolve("client.key"), PosixFilePermissions.fromString("rw-------"));
        postgres = PrivatePostgres.start(new PrivatePostgres.Tls(certs.resolve("server.pem"),
                certs.resolve("server.key"), certs.resolve("ca.pem"), List.of(
                        "local all all trust",
                        "hostnossl plain all 127.0.0.1/32 trust",
                        "hostssl certs all 127.0.0.0/8 cert",
                        "hostssl all all 127.0.0.0/8 trust"),
                "127.0.0.1,127.0.0.2"));
        vertx = Vertx.vertx();
        try (Connection c = jdbc(url("postgres", "sslmode=require")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE plain");
            s.execute("CREATE DATABASE certs");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.close();
        }
        if (certs != null) {
            try (Stream<Path> paths = Files.walk(certs)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theServerCreatesMigratesAndServesItsDatabaseOverVerifiedTls() throws Exception {
        // pg_hba.conf refuses plaintext here: creating the database, the migrations (the ledger's and the plugins')
        // and the pool must all use TLS for the server to start.
        DatabaseUrl database = url("creditline_tls", "sslmode=verify-full&sslrootcert=" + ca()
                + "&application_name=creditline-tls-it");
        Server server = servers.start(database, Map.of());

        assertThat(server.api().get("/health", null).status()).isEqualTo(200);
        try (Connection c = jdbc(url("postgres", "sslmode=verify-full&sslrootcert=" + ca()));
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*), bool_and(ssl.ssl) FROM pg_stat_activity a"
                     + " JOIN pg_stat_ssl ssl USING (pid) WHERE a.datname = 'creditline_tls'"
                     + " AND a.application_name = 'creditline-tls-it'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the server's pool connections").isPositive();
            assertThat(rows.getBoolean(2)).as("all over TLS").isTrue();
        }
    }

    @Test
    void theServerRefusesToStartWhenTheCertificateIsNotFromTheTrustedCa() throws Exception {
        DatabaseUrl database = url("creditline_tls_wrong_ca", "sslmode=verify-full&sslrootcert=" + otherCa());
        Server server = servers.launch(ServerProcesses.HOME, database, Map.of());

        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
        assertThat(server.process().exitValue()).isNotZero();
        assertThat(server.output()).contains("cannot use PostgreSQL at " + database)
                .contains("the server's certificate is not signed by a CA of sslrootcert");
    }

    @Test
    void verifyFullConnectsOverTlsToTheNamedHost() throws Exception {
        DatabaseUrl url = url("postgres", "sslmode=verify-full&sslrootcert=" + ca());

        assertThat(jdbcSsl(url)).isTrue();
        assertThat(poolSsl(url)).isTrue();
        DatabaseUrl byName = url("localhost", "postgres", "sslmode=verify-full&sslrootcert=" + ca());
        assertThat(jdbcSsl(byName)).isTrue();
        assertThat(poolSsl(byName)).isTrue();
    }

    @Test
    void verifyFullRefusesACertificateOfAnotherCa() {
        DatabaseUrl url = url("postgres", "sslmode=verify-full&sslrootcert=" + otherCa());

        assertThatThrownBy(() -> DatabaseSetup.createIfMissing(url)).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("the server's certificate is not signed by a CA of sslrootcert");
        // The reactive client does not say why; with the right CA it connects (verifyFullConnectsOverTls...).
        assertThatThrownBy(() -> poolSsl(url)).hasStackTraceContaining("SSL handshake failed");
    }

    @Test
    void verifyFullRefusesAHostTheCertificateIsNotMadeOutTo() throws Exception {
        DatabaseUrl full = url("127.0.0.2", "postgres", "sslmode=verify-full&sslrootcert=" + ca());
        DatabaseUrl ca = url("127.0.0.2", "postgres", "sslmode=verify-ca&sslrootcert=" + ca());

        assertThatThrownBy(() -> DatabaseSetup.createIfMissing(full))
                .hasMessageContaining("the server's certificate is not made out to 127.0.0.2");
        assertThatThrownBy(() -> poolSsl(full)).hasStackTraceContaining("SSL handshake failed");
        assertThat(jdbcSsl(ca)).as("verify-ca does not check the name").isTrue();
        assertThat(poolSsl(ca)).isTrue();
    }

    @Test
    void requireUsesTlsWithoutCheckingTheCertificate() throws Exception {
        DatabaseUrl url = url("postgres", "sslmode=require");

        assertThat(jdbcSsl(url)).isTrue();
        assertThat(poolSsl(url)).isTrue();
    }

    @Test
    void disableIsPlaintext() throws Exception {
        DatabaseUrl url = url("plain", "sslmode=disable");

        assertThat(jdbcSsl(url)).isFalse();
        assertThat(poolSsl(url)).isFalse();
        assertThat(jdbcSsl(url("plain", null))).as("the default").isFalse();
    }

    @Test
    void aHostsslOnlyServerRefusesPlaintext() {
        DatabaseUrl url = url("postgres", null);

        assertThatThrownBy(() -> DatabaseSetup.createIfMissing(url)).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("no encryption")
                .hasMessageContaining("the server may take TLS connections only: set sslmode");
        assertThatThrownBy(() -> poolSsl(url)).hasStackTraceContaining("no encryption");
    }

    @Test
    void aClientCertificateAuthenticates() throws Exception {
        DatabaseUrl withCertificate = url("certs", "sslmode=verify-full&sslrootcert=" + ca() + "&sslcert="
                + certs.resolve("client.pem") + "&sslkey=" + certs.resolve("client.key"));
        DatabaseUrl without = url("certs", "sslmode=verify-full&sslrootcert=" + ca());

        assertThat(jdbcSsl(withCertificate)).isTrue();
        assertThat(poolSsl(withCertificate)).isTrue();
        assertThatThrownBy(() -> DatabaseSetup.createIfMissing(without))
                .hasMessageContaining("the server asks for a client certificate: set sslcert and sslkey");
        assertThatThrownBy(() -> poolSsl(without)).hasStackTraceContaining("certificate");
    }

    private static DatabaseUrl url(String database, String parameters) {
        return url("127.0.0.1", database, parameters);
    }

    private static DatabaseUrl url(String host, String database, String parameters) {
        return DatabaseUrl.parse("postgresql://postgres@" + host + ":" + postgres.port() + "/" + database
                + (parameters == null ? "" : "?" + parameters));
    }

    private static Path ca() {
        return certs.resolve("ca.pem");
    }

    private static Path otherCa() {
        return certs.resolve("other-ca.pem");
    }

    private static Connection jdbc(DatabaseUrl url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private static boolean jdbcSsl(DatabaseUrl url) throws SQLException {
        try (Connection c = jdbc(url); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(SSL)) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    /** Asks over a pool built as the kernel builds its own. */
    private static boolean poolSsl(DatabaseUrl url) throws Exception {
        Pool pool = PgBuilder.pool().with(url.netClientOptions()).connectingTo(url.connectOptions()).using(vertx)
                .build();
        try {
            return pool.query(SSL).execute().map(rows -> rows.iterator().next().getBoolean(0))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the pool cannot connect: " + e.getCause(), e.getCause());
        } finally {
            pool.close();
        }
    }

    /** A self-signed CA: {@code <name>.pem} and its key. */
    private static void authority(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=Creditline test " + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /** A certificate of the CA {@code ca}: {@code <name>.pem} and its key (unencrypted PKCS#8 PEM). */
    private static void signed(String name, String commonName, String extensions) throws Exception {
        Files.writeString(certs.resolve(name + ".ext"), extensions + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
