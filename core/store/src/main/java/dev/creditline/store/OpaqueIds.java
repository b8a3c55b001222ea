package dev.creditline.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque forms of the server's internal positions. Journal entries are numbered by one counter across all studios,
 * and list cursors carry such numbers: shown as they are, {@code ent_12} in a new studio would tell it how busy the
 * others are. So an entry's id is its number encrypted together with its studio (AES, one block), and a cursor is
 * sealed (AES-GCM): both mean nothing outside the studio and the server that made them.
 *
 * <p>The key is the server's, kept in the database so that every node of one database shares it ({@link #use}, at
 * start); until then a random one serves (ids are then stable for the life of the process only).
 */
public final class OpaqueIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final String ENTRY_PREFIX = "ent_";
    private static volatile SecretKeySpec key = new SecretKeySpec(newKey(), "AES");

    private OpaqueIds() {
    }

    /** A new random key, for {@link #use}. */
    public static byte[] newKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Uses the server's key from now on. */
    public static void use(byte[] serverKey) {
        if (serverKey.length != 16) {
            throw new IllegalArgumentException("an AES-128 key has 16 bytes");
        }
        key = new SecretKeySpec(serverKey.clone(), "AES");
    }

    /** The id the API shows for a studio's journal entry. */
    public static String entryId(String studioId, long seq) {
        byte[] block = ByteBuffer.allocate(16).putLong(seq).put(studioTag(studioId)).array();
        return ENTRY_PREFIX + base32(crypt(Cipher.ENCRYPT_MODE, "AES/ECB/NoPadding", block, null));
    }

    /** A cursor's text, sealed: opaque to the client, and any change to it is noticed. */
    public static String seal(String text) {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, "AES/GCM/NoPadding", text.getBytes(StandardCharsets.UTF_8), iv);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    /** The text of a sealed cursor, or null when it is not one this server sealed. */
    public static String open(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token);
            if (raw.length < 12 + 16) {
                return null;
            }
            byte[] iv = java.util.Arrays.copyOf(raw, 12);
            byte[] sealed = java.util.Arrays.copyOfRange(raw, 12, raw.length);
            return new String(crypt(Cipher.DECRYPT_MODE, "AES/GCM/NoPadding", sealed, iv), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    private static byte[] studioTag(String studioId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(studioId.getBytes(StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(hash, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] crypt(int mode, String transformation, byte[] input, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance(transformation);
            if (iv == null) {
                cipher.init(mode, key);
            } else {
                cipher.init(mode, key, new GCMParameterSpec(128, iv));
            }
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("not sealed by this server", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 8 / 5 + 1);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
