package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.kernel.boot.ConfigException;
import dev.creditline.kernel.boot.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's settings of plugins in the config file, which no studio sets or sees, and the key of their secrets. */
class OperatorSettingsConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("creditline.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void pluginsServerSettingsAreReadPerPluginWithTheEnvironment() throws IOException {
        Path file = write("plugins:\n  serverSettings:\n    stripe:\n      apiBase: ${env:STRIPE_MOCK}\n");

        var settings = ConfigLoader.load(file, Map.of("STRIPE_MOCK", "http://127.0.0.1:12111"))
                .plugins().serverSettings();

        assertThat(settings.get("stripe").getString("apiBase")).isEqualTo("http://127.0.0.1:12111");
        assertThat(ConfigLoader.load(null, Map.of()).plugins().serverSettings()).isEmpty();
    }

    @Test
    void badOnesAreNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("plugins:\n  serverSettings: [stripe]\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("plugins.serverSettings");
        assertThatThrownBy(() -> ConfigLoader.load(write("plugins:\n  serverSettings:\n    stripe: x\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("plugins.serverSettings.stripe");
    }

    @Test
    void theSecretsKeyComesFromTheFileAndTheEnvironmentWins() throws IOException {
        Path file = write("secrets:\n  key: from-the-file\n");

        assertThat(ConfigLoader.load(file, Map.of()).secretsKey()).isEqualTo("from-the-file");
        assertThat(ConfigLoader.load(file, Map.of("CREDITLINE_SECRETS_KEY", "from-the-env")).secretsKey())
                .isEqualTo("from-the-env");
        assertThat(ConfigLoader.load(Path.of("../../config/creditline.yaml"), Map.of()).secretsKey())
                .as("the shipped file leaves it to the operator").isNull();
    }
}
