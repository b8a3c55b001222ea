package dev.creditline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseUrlTest {
    /** A self-signed certificate (public, for parsing only). */
    private static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBizCCATGgAwIBAgIUISzifJHpKixnesDWzN8YLjpNuIMwCgYIKoZIzj0EAwIw
            GjEYMBYGA1UEAwwPY3JlZGl0bGluZS10ZXN0MCAXDTI2MTIwMjA3NDMwOVoYDzIx
            MjYxMTA4MDc0MzA5WjAaMRgwFgYDVQQDDA9jcmVkaXRsaW5lLXRlc3QwWTATBgcq
            hkjOPQIBBggqhkjOPQMBBwNCAAQgPcWTybkIH7ox9Nvu79FtzrP89yKOcB39qgVO
            xLZd+uKOM94Qy8Z9tWQEAYzkmblpr9mk/djirRo03F+2hs+Vo1MwUTAdBgNVHQ4E
            FgQUbEs/dMbXEx/gSNy8gSDnuXPKbBswHwYDVR0jBBgwFoAUbEs/dMbXEx/gSNy8
            gSDnuXPKbBswDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBJFpVx
            1cyZOXSFiK5QZC6xQIvbxgasPTkbmauPu6PcXwIhAK4+5EY02RTTOOjs9yNWm9gx
            wJJivCJXVUnPzu/5E1vU
            -----END CERTIFICATE-----
            """;

    @TempDir
    static Path dir;
    private static String ca;
    private static String ecKey;

    @BeforeAll
    static void files() throws Exception {
        ca = Files.writeString(dir.resolve("ca.pem"), CERTIFICATE).toString();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        ecKey = privateKey("client.key", generator.generateKeyPair().getPrivate().getEncoded());
    }

    private static String privateKey(String name, byte[] pkcs8) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toString();
    }

    @Test
    void withoutParametersItIsPlaintextAsBefore() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.local:6543/ledger");

        assertThat(url.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(url.connectOptions().getSslMode()).isEqualTo(SslMode.DISABLE);
        // The JDBC driver's own default would be prefer: the URL says disable, as the reactive client does.
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/ledger?sslmode=disable&connectTimeout=5");
        assertThat(url.netClientOptions().getConnectTimeout()).isEqualTo(5000);
        assertThat(url.toString()).isEqualTo("postgresql://app@db.local:6543/ledger");
        assertThat(url.jdbcUrl()).doesNotContain("s3cret");
    }

    @Test
    void verifyFullChecksTheCertificateAndTheHostInBothClients() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.local:6543/ledger"
                + "?sslmode=verify-full&sslrootcert=" + ca);

        PgConnectOptions options = url.connectOptions();
        assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
        ClientSSLOptions ssl = options.getSslOptions();
        assertThat(ssl.isTrustAll()).isFalse();
        assertThat(ssl.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(((PemTrustOptions) ssl.getTrustOptions()).getCertPaths()).containsExactly(ca);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/ledger?sslmode=verify-full&sslrootcert="
                + ca + "&connectTimeout=5");
        assertThat(url.toString()).isEqualTo("postgresql://app@db.local:6543/ledger?sslmode=verify-full&sslrootcert="
                + ca);
    }

    @Test
    void verifyCaChecksTheCertificateButNotTheHost() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.local/ledger?sslmode=verify-ca&sslrootcert=" + ca);

        ClientSSLOptions ssl = url.connectOptions().getSslOptions();
        assertThat(url.connectOptions().getSslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(ssl.getTrustOptions()).isInstanceOf(PemTrustOptions.class);
        assertThat(ssl.getHostnameVerificationAlgorithm()).isNullOrEmpty();
        assertThat(url.jdbcUrl()).contains("sslmode=verify-ca&sslrootcert=" + ca);
    }

    @Test
    void requireEncryptsWithoutCheckingTheCertificate() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.local/ledger?sslmode=require");

        assertThat(url.connectOptions().getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(url.connectOptions().getSslOptions().isTrustAll()).isTrue();
        assertThat(url.jdbcUrl()).contains("sslmode=require&").doesNotContain("sslrootcert");
    }

    @Test
    void requireWithACaFileChecksTheCertificateAsLibpqDoes() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.local/ledger?sslmode=require&sslrootcert=" + ca);

        assertThat(url.sslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(url.connectOptions().getSslOptions().isTrustAll()).isFalse();
        assertThat(url.jdbcUrl()).contains("sslmode=verify-ca&sslrootcert=" + ca);
        assertThat(url.toString()).endsWith("?sslmode=require&sslrootcert=" + ca);
    }

    @Test
    void preferAndAllowAreTheReactiveClientsOwnModes() {
        assertThat(DatabaseUrl.parse("postgresql://h/d?sslmode=prefer").connectOptions().getSslMode())
                .isEqualTo(SslMode.PREFER);
        assertThat(DatabaseUrl.parse("postgresql://h/d?sslmode=allow").jdbcUrl()).contains("sslmode=allow&");
    }

    @Test
    void systemTrustsTheJvmsCas() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.example.com/ledger"
                + "?sslmode=verify-full&sslrootcert=system");

        assertThat(url.connectOptions().getSslOptions().getTrustOptions()).isNotNull()
                .isNotInstanceOf(PemTrustOptions.class);
        assertThat(url.jdbcUrl()).contains("sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslrootcert=system"))
                .hasMessageContaining("sslrootcert=system needs sslmode=verify-full");
    }

    @Test
    void aClientCertificateGoesToBothClients() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://h/d?sslmode=verify-full&sslrootcert=" + ca + "&sslcert=" + ca
                + "&sslkey=" + ecKey);

        PemKeyCertOptions keyCert = (PemKeyCertOptions) url.connectOptions().getSslOptions().getKeyCertOptions();
        assertThat(keyCert.getCertPaths()).containsExactly(ca);
        assertThat(keyCert.getKeyPaths()).containsExactly(ecKey);
        assertThat(url.parameters().sslKeyAlgorithm()).isEqualTo("EC");
        assertThat(url.jdbcUrl()).contains("&sslcert=" + ca + "&sslkey=" + ecKey + "&pemKeyAlgorithm=EC&");
    }

    @Test
    void anRsaKeyIsNamedRsaForTheJdbcDriver() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String rsa = privateKey("rsa.key", generator.generateKeyPair().getPrivate().getEncoded());

        DatabaseUrl url = DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslcert=" + ca + "&sslkey=" + rsa);

        assertThat(url.jdbcUrl()).contains("pemKeyAlgorithm=RSA");
    }

    @Test
    void applicationNameAndConnectTimeoutReachBothClients() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://h/d?application_name=creditline%20eu-1&connect_timeout=12");

        assertThat(url.connectOptions().getProperties()).containsEntry("application_name", "creditline eu-1");
        assertThat(url.netClientOptions().getConnectTimeout()).isEqualTo(12_000);
        assertThat(url.jdbcUrl()).contains("ApplicationName=creditline%20eu-1").contains("connectTimeout=12");
        assertThat(url.toString()).endsWith("?application_name=creditline%20eu-1&connect_timeout=12");
    }

    @Test
    void theTextOfAUrlParsesBackToTheSameUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p%40ss%3Aw%2Brd%2F@db.local:6543/ledger"
                + "?sslmode=verify-full&sslrootcert=" + ca + "&application_name=a%2Bb%26c&connect_timeout=7");

        assertThat(url.password()).isEqualTo("p@ss:w+rd/");
        assertThat(url.parameters().applicationName()).isEqualTo("a+b&c");
        assertThat(DatabaseUrl.parse(url.toUrlWithPassword())).isEqualTo(url);
        assertThat(DatabaseUrl.parse(url.toString())).isEqualTo(new DatabaseUrl(url.host(), url.port(), url.database(),
                url.user(), null, url.parameters()));
        assertThat(url.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
        assertThat(url.withDatabase("other").parameters()).isEqualTo(url.parameters());
    }

    @Test
    void anUnknownParameterIsRefusedByName() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&ssl=true"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database URL parameter 'ssl' is not supported (supported: sslmode, sslrootcert, sslcert,"
                        + " sslkey, application_name, connect_timeout)");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?options=-c%20search_path%3Dx"))
                .hasMessageContaining("'options' is not supported");
    }

    @Test
    void aBadSslModeIsRefusedWithTheModesThereAre() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=maybe"))
                .hasMessage("database URL parameter sslmode: 'maybe' is not one of disable, allow, prefer, require,"
                        + " verify-ca, verify-full");
    }

    @Test
    void verifyingNeedsTheCasToTrust() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=verify-full"))
                .hasMessageContaining("sslmode=verify-full needs sslrootcert");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=verify-ca"))
                .hasMessageContaining("sslmode=verify-ca needs sslrootcert");
    }

    @Test
    void aCaFileWhereNothingIsCheckedIsRefused() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslrootcert=" + ca))
                .hasMessageContaining("sslrootcert needs sslmode=verify-full, verify-ca or require: with"
                        + " sslmode=disable no certificate is checked");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=prefer&sslrootcert=" + ca))
                .hasMessageContaining("with sslmode=prefer");
    }

    @Test
    void aMissingOrWrongCaFileIsRefused() throws Exception {
        Path missing = dir.resolve("nowhere.pem");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=verify-full&sslrootcert=" + missing))
                .hasMessage("database URL parameter sslrootcert: no file '" + missing + "'");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=verify-full&sslrootcert=" + text))
                .hasMessageStartingWith("database URL parameter sslrootcert: '" + text + "'");
    }

    @Test
    void aClientKeyMustBeAPrivatePkcs8PemFileBesideItsCertificate() throws Exception {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslcert=" + ca))
                .hasMessageContaining("sslcert needs sslkey too");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslcert=" + ca + "&sslkey=" + ecKey))
                .hasMessageContaining("a client certificate is sent over TLS only");

        Path open = Files.copy(Path.of(ecKey), dir.resolve("open.key"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslcert=" + ca
                + "&sslkey=" + open))
                .hasMessageContaining("may be read by others: chmod 600 it");

        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(pkcs1, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslcert=" + ca
                + "&sslkey=" + pkcs1))
                .hasMessageContaining("is not an unencrypted PKCS#8 PEM key");

        Path truncated = Files.writeString(dir.resolve("truncated.key"), "-----BEGIN PRIVATE KEY-----\nA\n"
                + "-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(truncated, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslcert=" + ca
                + "&sslkey=" + truncated)).hasMessageContaining("sslkey: '" + truncated + "' is not valid PEM");
    }

    @Test
    void badValuesAreRefusedByName() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?connect_timeout=soon"))
                .hasMessageContaining("connect_timeout: 'soon' is not a number of seconds");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?connect_timeout=0"))
                .hasMessageContaining("connect_timeout");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?application_name=caf%C3%A9"))
                .hasMessageContaining("application_name");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode=require&sslmode=disable"))
                .hasMessageContaining("sslmode is given twice");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?sslmode"))
                .hasMessageContaining("sslmode has no value");
    }

    @Test
    void messagesNeverShowThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://app:s3cret@h/d"))
                .hasMessageNotContaining("s3cret").hasMessageContaining("mysql://app:***@h/d");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:s3cret@h/d e"))
                .hasMessageNotContaining("s3cret");
    }
}
