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
