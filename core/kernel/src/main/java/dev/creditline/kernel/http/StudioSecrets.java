package dev.creditline.kernel.http;

import dev.creditline.store.Ids;

/**
 * Secrets that name their studio, {@code <kind><studioId>.<random>}: API keys ({@code clk_}), sessions
 * ({@code cls_}), invitations ({@code cli_}) and sign-in links ({@code csl_}). The server finds what one grants by
 * the studio it names and the SHA-256 of the whole secret, so the lookup stays within the studio's rows (one shard
 * when the schema is distributed by studio).
 */
final class StudioSecrets {
    static final String API_KEY = "clk_";
    static final String SESSION = "cls_";
    static final String INVITATION = "cli_";
    static final String SIGN_IN_LINK = "csl_";

    private StudioSecrets() {
    }

    /** A new secret of the kind for the studio. */
    static String create(String kind, String studioId) {
        return Ids.secret(kind + studioId + ".");
    }

    /**
     * The studio a secret of the kind names, or null when it is not such a secret (the random part never holds a
     * dot; a studio id configured by an operator might).
     */
    static String studioOf(String secret, String kind) {
        if (secret == null || secret.length() > 200 || !secret.startsWith(kind)) {
            return null;
        }
        int dot = secret.lastIndexOf('.');
        if (dot <= kind.length() || dot == secret.length() - 1 || !Input.printable(secret)) {
            return null;
        }
        return secret.substring(kind.length(), dot);
    }
}
