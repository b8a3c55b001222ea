package dev.creditline.kernel.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Staff passwords, hashed with Argon2id (BouncyCastle) and stored as a PHC string that carries its parameters:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. A stored hash is checked with the parameters it names, so
 * raising {@link #MEMORY_KIB}, {@link #ITERATIONS} or {@link #PARALLELISM} later keeps old passwords working; a
 * sign-in with older parameters is rehashed with the current ones ({@link #outdated}).
 *
 * <p>Hashing takes tens of milliseconds of CPU on purpose: call it off the event loop.
 */
public final class Passwords {
    /** The shortest password accepted. */
    public static final int MIN_LENGTH = 10;
    /** The longest password accepted (a bound on the work one request can ask for). */
    public static final int MAX_LENGTH = 200;

    // OWASP's Argon2id baseline (2024): 19 MiB of memory, 2 passes, 1 lane; 16 bytes of salt, a 32-byte hash.
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_IN = Base64.getDecoder();
    /** Checked when the address is unknown, so that an unknown address costs as long as a wrong password. */
    private static final String DUMMY = hash("not-a-password-of-anyone");

    private Passwords() {
    }

    /** The PHC string of a new hash of the password with the current parameters and a fresh salt. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether the password matches the stored hash; a null or unreadable hash matches nothing (in the same time). */
    public static boolean matches(String password, String stored) {
        Parsed parsed = stored == null ? null : parse(stored);
        if (parsed == null) {
            matches(password, DUMMY);
            return false;
        }
        byte[] actual = argon2(password, parsed.salt, parsed.memory, parsed.iterations, parsed.parallelism,
                parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    /** Whether the stored hash was made with other parameters than today's (then rehash after a good sign-in). */
    public static boolean outdated(String stored) {
        Parsed parsed = parse(stored);
        return parsed == null || parsed.memory != MEMORY_KIB || parsed.iterations != ITERATIONS
                || parsed.parallelism != PARALLELISM;
    }

    private record Parsed(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        String[] parts = stored.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return null;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String param : parts[3].split(",")) {
                String[] kv = param.split("=", 2);
                int value = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> {
                        return null;
                    }
                }
            }
            if (m < 8 || t < 1 || p < 1) {
                return null;
            }
            return new Parsed(m, t, p, B64_IN.decode(parts[4]), B64_IN.decode(parts[5]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                 int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
