package dev.creditline.kernel.plugins;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.ConfigException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secret settings plugins declare before they are stored in {@code plugin_settings}, and decrypts them
 * when they are read: AES-256-GCM from the JDK, a fresh 12-byte nonce per value, and the studio, plugin and setting
 * as associated data, so that a value copied into another row does not decrypt. A stored value names the key it was
 * written with ({@code enc:v1:<key id>:<base64 of nonce, ciphertext and tag>}); the key id is derived from the key,
 * so keys rotate by listing the new one first ({@code secrets.key: new,old}) until every value is rewritten.
 */
@Singleton
public final class SettingsCipher {
    static final String PREFIX = "enc:v1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key and its id. */
    private record Key(String id, SecretKeySpec spec) {
    }

    /** The first encrypts; every one decrypts. */
    private final List<Key> keys;

    @Inject
    public SettingsCipher(Config config) {
        this.keys = parse(config.secretsKey());
    }

    /** The keys of {@code secrets.key}: 32 bytes each, in base64, separated by commas; none when null. */
    static List<Key> parse(String configured) {
        List<Key> out = new ArrayList<>();
        if (configured == null || configured.isBlank()) {
            return out;
        }
        for (String text : configured.split(",")) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text.trim());
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw new ConfigException("secrets.key: each key is 32 random bytes in base64 (openssl rand -base64 32),"
                        + " several separated by commas, the one to encrypt with first");
            }
            out.add(new Key(keyId(bytes), new SecretKeySpec(bytes, "AES")));
        }
        return List.copyOf(out);
    }

    /** A short name of a key that does not reveal it: the start of a hash of it. */
    static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("creditline secrets key id\u0000".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a key is configured to encrypt with. */
    public boolean canEncrypt() {
        return !keys.isEmpty();
    }

    /** The id of the key that encrypts now, or null. */
    String currentKeyId() {
        return keys.isEmpty() ? null : keys.get(0).id();
    }

    /** Whether a stored value is encrypted (with any key). */
    static boolean isEncrypted(Object stored) {
        return stored instanceof String text && text.startsWith(PREFIX);
    }

    /** Whether a stored value is encrypted with the key that encrypts now. */
    public boolean isCurrent(Object stored) {
        return canEncrypt() && stored instanceof String text && text.startsWith(PREFIX + keys.get(0).id() + ":");
    }

    /** The value to store for a secret setting. */
    public String encrypt(String studioId, String pluginId, String setting, String plaintext) {
        Key key = keys.get(0);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(studioId, pluginId, setting));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + key.id() + ":" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE
                    + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt with AES-GCM", e);
        }
    }

    /**
     * The secret a stored value holds.
     *
     * @throws ConfigException naming the row and the key when it was written with a key that is not configured, or
     *                         does not decrypt with it (never a wrong value)
     */
    public String decrypt(String studioId, String pluginId, String setting, String stored) {
        String where = "the secret " + setting + " of plugin " + pluginId + " for studio " + studioId;
        String[] parts = stored.substring(PREFIX.length()).split(":", 2);
        Key key = keys.stream().filter(k -> k.id().equals(parts[0])).findFirst().orElseThrow(() ->
                new ConfigException("secrets.key: " + where + " was encrypted with key " + parts[0] + ", which "
                        + (keys.isEmpty() ? "is not configured (set secrets.key or CREDITLINE_SECRETS_KEY)"
                        : "secrets.key does not hold (it holds " + String.join(", ", keys.stream().map(Key::id)
                        .toList()) + "); add it after the new key to rotate")));
        try {
            byte[] sealed = Base64.getDecoder().decode(parts.length < 2 ? "" : parts[1]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            cipher.updateAAD(aad(studioId, pluginId, setting));
            return new String(cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ConfigException("secrets.key: " + where + " does not decrypt with key " + key.id()
                    + ": the stored value was altered or belongs to another row");
        }
    }

    private static byte[] aad(String studioId, String pluginId, String setting) {
        return ("creditline plugin setting\u0000" + studioId + "\u0000" + pluginId + "\u0000" + setting)
                .getBytes(StandardCharsets.UTF_8);
    }
}
