package dev.creditline.store;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, prefixed ids (e.g. {@code mem_5kq2...}) and API key secrets. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Ids() {
    }

    /** A new id with the given prefix: 80 random bits in 16 lower-case base-32 characters. */
    public static String next(String prefix) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder(prefix.length() + 17).append(prefix).append('_');
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (bytes[i] & 0xff);
        }
        appendBase32(out, high);
        appendBase32(out, low);
        return out.toString();
    }

    private static void appendBase32(StringBuilder out, long fortyBits) {
        for (int shift = 35; shift >= 0; shift -= 5) {
            out.append(ALPHABET[(int) ((fortyBits >>> shift) & 31)]);
        }
    }

    /**
     * The id a seed always gives (80 bits of its SHA-256): a request retried with its idempotency key names the same
     * purchase, so a payment provider sees the same purchase again.
     */
    public static String derived(String prefix, String seed) {
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder(prefix.length() + 17).append(prefix).append('_');
        long high = 0;
        long low = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (hash[i] & 0xff);
            low = (low << 8) | (hash[i + 5] & 0xff);
        }
        appendBase32(out, high);
        appendBase32(out, low);
        return out.toString();
    }

    /** A new secret of 256 random bits, URL-safe, with the given prefix. */
    public static String secret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
