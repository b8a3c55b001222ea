package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.ConfigException;
import dev.creditline.kernel.plugins.SettingsCipher;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AES-GCM of plugins' secret settings, as the database sees them. */
class SettingsCipherTest {
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String OTHER = Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes());

    private static SettingsCipher cipher(String keys) {
        return new SettingsCipher(Config.defaults().toBuilder().secretsKey(keys).build());
    }

    @Test
    void aSecretComesBackAsItWasAndIsNotInWhatIsStored() {
        SettingsCipher cipher = cipher(KEY);

        String stored = cipher.encrypt("std_1", "stripe", "secretKey", "sk_live_é");

        assertThat(stored).startsWith("enc:v1:").doesNotContain("sk_live");
        assertThat(cipher.encrypt("std_1", "stripe", "secretKey", "sk_live_é")).as("a fresh nonce each time")
                .isNotEqualTo(stored);
        assertThat(cipher.decrypt("std_1", "stripe", "secretKey", stored)).isEqualTo("sk_live_é");
        assertThat(cipher.isCurrent(stored)).isTrue();
    }

    @Test
    void aValueMovedToAnotherRowOrSettingDoesNotDecrypt() {
        SettingsCipher cipher = cipher(KEY);
        String stored = cipher.encrypt("std_1", "stripe", "secretKey", "sk_live_1");

        assertThatThrownBy(() -> cipher.decrypt("std_2", "stripe", "secretKey", stored))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> cipher.decrypt("std_1", "stripe", "webhookSecret", stored))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> cipher.decrypt("std_1", "stripe", "secretKey", stored.substring(0, 20)))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void keysRotate() {
        String stored = cipher(OTHER).encrypt("std_1", "email", "password", "pw");
        SettingsCipher rotated = cipher(KEY + ", " + OTHER);

        assertThat(rotated.decrypt("std_1", "email", "password", stored)).isEqualTo("pw");
        assertThat(rotated.isCurrent(stored)).isFalse();
        assertThatThrownBy(() -> cipher(KEY).decrypt("std_1", "email", "password", stored))
                .hasMessageContaining("secrets.key").hasMessageContaining("does not hold");
        assertThatThrownBy(() -> cipher(null).decrypt("std_1", "email", "password", stored))
                .hasMessageContaining("is not configured");
        assertThat(cipher(null).canEncrypt()).isFalse();
    }

    @Test
    void aKeyThatIsNotOneIsNamed() {
        assertThatThrownBy(() -> cipher("c2hvcnQ=")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("secrets.key").hasMessageContaining("32");
        assertThatThrownBy(() -> cipher(KEY + ",not base64")).isInstanceOf(ConfigException.class);
    }
}
