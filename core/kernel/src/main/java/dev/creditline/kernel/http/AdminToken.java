package dev.creditline.kernel.http;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;

/** The hash of the server's admin token, which may create studios. Set once at start. */
@Singleton
public final class AdminToken {
    private volatile byte[] hash;

    @Inject
    public AdminToken() {
    }

    /** Sets the SHA-256 of the token. */
    public void set(byte[] tokenHash) {
        this.hash = tokenHash.clone();
    }

    /** Whether the presented token is the admin token (in constant time). */
    public boolean matches(String presented) {
        byte[] expected = hash;
        return expected != null && presented != null && MessageDigest.isEqual(expected, Json.sha256(presented));
    }
}
