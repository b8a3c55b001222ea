package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.ConfigException;
import dev.creditline.kernel.boot.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void theShippedConfigGivesTheDocumentedDefaults() {
        Config config = ConfigLoader.load(Path.of("../../config/creditline.yaml"), Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.database().toString()).isEqualTo("postgresql://postgres@127.0.0.1:5432/creditline");
        assertThat(config.adminToken()).isNull();
        assertThat(config.expirySweepInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connections()).isEqualTo(Config.Connections.defaults());
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.management()).isEqualTo(Config.Management.defaults());
        assertThat(config.metricsRefreshInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.writeLanes()).isEqualTo(2);
    }

    @Test
    void writeLanesAreReadAndBounded() throws IOException {
        assertThat(ConfigLoader.load(write("database:\n  writeLanes: 6\n"), Map.of()).writeLanes()).isEqualTo(6);
        assertThat(ConfigLoader.load(null, Map.of()).writeLanes()).isEqualTo(2);
        assertThatThrownBy(() -> ConfigLoader.load(write("database:\n  writeLanes: 0\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("database.writeLanes");
    }

    @Test
    void connectionSettingsAreRead() throws IOException {
        Path file = write("http:\n  idleTimeout: PT20S\n  headerReadTimeout: PT5S\n  bodyReadTimeout: PT15S\n"
                + "  maxConnections: 5000\n  maxConnectionsPerAddress: 0\n  h2c: true\n");

        assertThat(ConfigLoader.load(file, Map.of()).connections()).isEqualTo(new Config.Connections(
                Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(15), 5000, 0, true));
        assertThat(ConfigLoader.load(null, Map.of()).connections().h2c()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  h2c: yes please\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.h2c");
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  headerReadTimeout: PT0S\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.headerReadTimeout");
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  maxConnections: 0\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.maxConnections");
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        Path file = write("http:\n  port: 9000\nadmin:\n  token: from-the-file-123456\n");

        Config config = ConfigLoader.load(file, Map.of("CREDITLINE_HTTP_PORT", "9100",
                "CREDITLINE_DATABASE_URL", "postgresql://app:s3cret@db.local:6543/ledger",
                "CREDITLINE_ADMIN_TOKEN", "from-the-environment-123"));

        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.database().host()).isEqualTo("db.local");
        assertThat(config.database().port()).isEqualTo(6543);
        assertThat(config.database().user()).isEqualTo("app");
        assertThat(config.database().password()).isEqualTo("s3cret");
        assertThat(config.database().database()).isEqualTo("ledger");
        assertThat(config.database().toString()).doesNotContain("s3cret");
        assertThat(config.adminToken()).isEqualTo("from-the-environment-123");
    }

    @Test
    void secretsCanComeFromTheEnvironment() throws IOException {
        Path file = write("admin:\n  token: ${env:STUDIO_ADMIN}\n");

        assertThat(ConfigLoader.load(file, Map.of("STUDIO_ADMIN", "token-from-env-0123")).adminToken())
                .isEqualTo("token-from-env-0123");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STUDIO_ADMIN");
    }

    @Test
    void badSettingsAreNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  port: eighty\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CREDITLINE_DATABASE_URL", "mysql://x/y")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> ConfigLoader.load(write("ledger:\n  expirySweepInterval: often\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expirySweepInterval");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CREDITLINE_ADMIN_TOKEN", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("16");
    }

    @Test
    void aKeyItDoesNotKnowIsAnErrorNamingItsPathAndLine() throws IOException {
        Path typo = write("http:\n  port: 8080\ndatabse:\n  url: postgresql://postgres@127.0.0.1:5432/other\n");
        Path nested = write("http:\n  port: 8080\n  prot: 9090\n");
        Path studio = write("studios:\n  st_1:\n    plugins:\n      stripe:\n        enabeld: true\n");

        assertThatThrownBy(() -> ConfigLoader.load(typo, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("databse: not a setting (" + typo + " line 3, column 1)")
                .hasMessageContaining("database");
        assertThatThrownBy(() -> ConfigLoader.load(nested, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.prot: not a setting (" + nested + " line 3, column 3)")
                .hasMessageContaining("http has ").hasMessageContaining("port");
        assertThatThrownBy(() -> ConfigLoader.load(studio, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("studios.st_1.plugins.stripe.enabeld: not a setting");
    }

    @Test
    void brokenYamlAndWrongTypesSayWhere() throws IOException {
        Path broken = write("http:\n  port: 8080\n\tinstances: 2\n");
        Path twice = write("http:\n  port: 8080\n  port: 8081\n");
        Path list = write("http:\n  port: [8080]\n");
        Path fraction = write("database:\n  poolSize: 2.5\n");

        assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + broken + " is not valid YAML at line 3, column 1: ");
        assertThatThrownBy(() -> ConfigLoader.load(twice, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3").hasMessageContaining("port");
        assertThatThrownBy(() -> ConfigLoader.load(list, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.port: must be a whole number (" + list + " line 2");
        assertThatThrownBy(() -> ConfigLoader.load(fraction, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("database.poolSize: must be a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(write("database:\n  poolSize: 99999999999\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("database.poolSize: must be a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(write("studios:\n  st_1:\n    consumptionOrder: lifo\n"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("studios.st_1.consumptionOrder: must be one of fifo, earliest_expiry, not 'lifo'");
    }

    @Test
    void anySettingMayComeFromTheEnvironment() throws IOException {
        Path file = write("http:\n  port: ${env:PORT}\n  h2c: ${env:H2C}\nledger:\n"
                + "  expirySweepInterval: ${env:SWEEP}\nplugins:\n  defaults:\n    stripe:\n      settings:\n"
                + "        secretKey: ${env:STRIPE_KEY}\n");

        Config config = ConfigLoader.load(file, Map.of("PORT", "9300", "H2C", "true", "SWEEP", "PT5M",
                "STRIPE_KEY", "sk_test_from_env"));

        assertThat(config.httpPort()).isEqualTo(9300);
        assertThat(config.connections().h2c()).isTrue();
        assertThat(config.expirySweepInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.plugins().defaults().get("stripe").settings().getString("secretKey"))
                .isEqualTo("sk_test_from_env");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("PORT", "9300", "H2C", "true", "SWEEP", "PT5M")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("plugins.defaults.stripe.settings.secretKey: environment variable STRIPE_KEY is not set");
    }

    @Test
    void theListenersAddressesAreSettings() throws IOException {
        Config defaults = ConfigLoader.load(null, Map.of());
        Config file = ConfigLoader.load(write("http:\n  host: 127.0.0.1\nmanagement:\n  host: 10.0.0.5\n"
                + "  port: 9100\n  token: ${env:MGMT}\n"), Map.of("MGMT", "scrape-token"));

        assertThat(defaults.httpHost()).isEqualTo("0.0.0.0");
        assertThat(defaults.management()).isEqualTo(new Config.Management("127.0.0.1", 9000, null));
        assertThat(file.httpHost()).isEqualTo("127.0.0.1");
        assertThat(file.management()).isEqualTo(new Config.Management("10.0.0.5", 9100, "scrape-token"));
        assertThat(ConfigLoader.load(null, Map.of("CREDITLINE_MANAGEMENT_PORT", "9200")).management().port())
                .isEqualTo(9200);
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  host: http://0.0.0.0:80\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.host");
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  port: 9000\nmanagement:\n  host: 0.0.0.0\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("management.port");
    }

    @Test
    void trustedProxiesAreAddressesOrRanges() throws IOException {
        Path file = write("http:\n  trustedProxies: [10.0.0.0/8, \"::1\", not-an-address]\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.trustedProxies[2]: must be an IP address or a range");
        assertThat(ConfigLoader.load(write("http:\n  trustedProxies: [10.0.0.0/8, \"::1\"]\n"), Map.of()))
                .isNotNull();
    }

    @Test
    void theOperationsGuidesExamplesLoad() throws IOException {
        String guide = Files.readString(Path.of("../../docs/operations.md"));
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```yaml\n(.*?)```",
                java.util.regex.Pattern.DOTALL).matcher(guide);
        int loaded = 0;
        while (blocks.find()) {
            Config config = ConfigLoader.load(write(blocks.group(1)), Map.of("CREDITLINE_MANAGEMENT_TOKEN", "t0k3n"));
            assertThat(config).isNotNull();
            loaded++;
        }
        assertThat(loaded).isPositive();
    }

    @Test
    void databaseUrlParametersAreHonouredOrRefusedByName() throws IOException {
        Config config = ConfigLoader.load(write("database:\n  url: postgresql://app@db.local/ledger?sslmode=require\n"),
                Map.of());
        assertThat(config.database().connectOptions().getSslMode()).isEqualTo(io.vertx.pgclient.SslMode.REQUIRE);

        assertThatThrownBy(() -> ConfigLoader.load(write("database:\n  url: postgresql://db/x?sslmode=maybe\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("sslmode: 'maybe'");
        assertThatThrownBy(() -> ConfigLoader.load(null,
                Map.of("CREDITLINE_DATABASE_URL", "postgresql://app:s3cret@db/x?sslmode=require&ssl=true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter 'ssl' is not supported")
                .hasMessageNotContaining("s3cret");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("creditline-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
